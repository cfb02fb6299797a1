namespace Testbed.Model;

/// <summary>One problem in one file, named by the key a user would look for.</summary>
public sealed record ConfigError(string File, string Key, string Message, int? Line = null)
{
    public override string ToString() => Line is { } l ? $"{File}:{l}: {Key}: {Message}" : $"{File}: {Key}: {Message}";
}

/// <summary>Thrown when a stack or inventory is wrong; raised before any host is touched.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    public ConfigException(ConfigError error) : this([error]) { }
}

/// <summary>Collects every problem of a file before giving up, so one run shows them all.</summary>
public sealed class ErrorSink
{
    readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Add(ConfigError error)
    {
        if (!_errors.Contains(error)) _errors.Add(error);
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ConfigException(_errors);
    }
}
