using System.Text.RegularExpressions;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>A kernel parameter by its <c>sysctl</c> name.</summary>
public sealed record SysctlId(string Host, string Key) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.Sysctl;
    public override string Name => Key;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["key"] = Key };

    public string ProcPath => "/proc/sys/" + Key.Replace('.', '/');

    public override string ReadScript => Sh.ReadFirstLine(ProcPath, "!missing");

    public override Reading Parse(string output) =>
        output.Trim() == "!missing" ? Reading.NotSupported($"the kernel has no {Key}") : Reading.Of(Fields.Scalar(Sysctl.Normalize(output)));

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Write(v) : RemoteCommand.Nothing;

    internal RemoteCommand Write(string value) => new(Sh.Cmd("sysctl", "-qw", $"{Key}={value}"));
}

/// <summary>A kernel parameter set to a value: <c>net.ipv4.tcp_rmem = 87380 4194304 4194304</c>.</summary>
public sealed partial record Sysctl : Resource
{
    public required string Key { get; init; }
    public required string Value { get; init; }

    public override SysctlId Id => new(Host, Key);
    public override Fields Desired => Fields.Scalar(Normalize(Value));

    public string ProcPath => Id.ProcPath;

    public override RemoteCommand Apply(Reading live) => Id.Write(Normalize(Value));

    /// <summary>The kernel prints vectors with tabs; compare them word by word.</summary>
    public static string Normalize(string value) => string.Join(' ', value.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));

    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    public static bool IsValidValue(string value) => ValuePattern().IsMatch(value);

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)+$")]
    private static partial Regex KeyPattern();

    // Words of letters, digits, '_', '.', ':' and '-', each starting with a letter or digit (or a minus and a digit:
    // -1 is a value, -rf is not); one to 256 characters with spaces or tabs between.
    [GeneratedRegex(@"^(?=.{1,256}$)(-?[0-9][A-Za-z0-9_.:-]*|[A-Za-z][A-Za-z0-9_.:-]*)([ \t]+(-?[0-9][A-Za-z0-9_.:-]*|[A-Za-z][A-Za-z0-9_.:-]*))*$")]
    private static partial Regex ValuePattern();
}
