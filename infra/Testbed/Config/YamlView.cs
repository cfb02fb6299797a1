using Testbed.Model;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Testbed.Config;

/// <summary>
/// A YAML node with the file and key path it came from, so that every complaint about a value can say where it is.
/// Reading a wrong type records an error and returns null instead of throwing.
/// </summary>
public sealed class YamlView(string file, string path, YamlNode? node, ErrorSink errors)
{
    public string File { get; } = file;
    public string Path { get; } = path;
    public YamlNode? Node { get; } = node;
    public ErrorSink Errors { get; } = errors;
    public bool Exists => Node is not null && !(Node is YamlScalarNode { Value: null or "" } s && s.Style == ScalarStyle.Plain && s.Tag.IsEmpty);

    int? Line => Node is null ? null : (int)Node.Start.Line;

    public void Error(string message) => Errors.Add(new ConfigError(File, Path, message, Line));

    public static YamlView? Load(string file, string displayName, ErrorSink errors)
    {
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            if (root is not YamlMappingNode)
            {
                errors.Add(new ConfigError(displayName, "(file)", "expected a YAML mapping at the top"));
                return null;
            }
            return new YamlView(displayName, "", root, errors);
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(displayName, "(syntax)", e.InnerException?.Message ?? e.Message, (int)e.Start.Line));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet throws this (not a YamlException) for some unterminated flow collections.
            errors.Add(new ConfigError(displayName, "(syntax)", e.Message));
            return null;
        }
    }

    string ChildPath(string key) => Path.Length == 0 ? key : Path.EndsWith(':') ? Path + key : $"{Path}.{key}";

    public YamlView this[string key]
    {
        get
        {
            if (Node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child))
                return new YamlView(File, ChildPath(key), child, Errors);
            return new YamlView(File, ChildPath(key), null, Errors);
        }
    }

    /// <summary>The entries of a mapping; records an error if the node is something else.</summary>
    public IEnumerable<(string Key, YamlView Value)> Entries()
    {
        if (Node is null) yield break;
        if (Node is not YamlMappingNode map)
        {
            Error($"expected a mapping of keys to values, got {Describe(Node)}");
            yield break;
        }
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            yield return (key, new YamlView(File, ChildPath(key), v, Errors));
        }
    }

    /// <summary>Records an error for every key of this mapping that is not among <paramref name="known"/>.</summary>
    public void AllowOnly(params string[] known)
    {
        foreach (var (key, value) in Entries())
            if (!known.Contains(key))
                value.Error($"unknown key (expected one of: {string.Join(", ", known)})");
    }

    public string? String(bool required = false)
    {
        if (!Exists)
        {
            if (required) Error("is required");
            return null;
        }
        if (Node is YamlScalarNode s) return s.Value ?? "";
        Error($"expected a single value, got {Describe(Node!)}");
        return null;
    }

    public int? Int(int min, int max, bool required = false)
    {
        var text = String(required);
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            Error($"expected a whole number, got '{Shorten(text)}'");
            return null;
        }
        if (n < min || n > max)
        {
            Error($"{n} is out of range {min}..{max}");
            return null;
        }
        return (int)n;
    }

    /// <summary>An unsigned 32-bit number written in decimal or as <c>0x…</c> hex (SPIs, reqids).</summary>
    public uint? UInt32(uint min, bool required = false)
    {
        var text = String(required);
        if (text is null) return null;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        if (!ok)
        {
            Error($"expected a number (decimal or 0x hex) up to 0xffffffff, got '{Shorten(text)}'");
            return null;
        }
        if (n < min)
        {
            Error($"{text} is below {min} (values under {min} are reserved)");
            return null;
        }
        return n;
    }

    /// <summary>
    /// A time as swanctl.conf writes one: seconds, or a number with an <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> suffix
    /// (<c>20s</c>, <c>1h</c>). Null when absent (then <paramref name="fallback"/>) or wrong (an error is recorded).
    /// </summary>
    public TimeSpan? Duration(TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var text = String();
        if (text is null) return fallback;
        var suffixed = text.Length > 1 && char.IsLetter(text[^1]);
        var seconds = !suffixed ? 1 : text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
        if (seconds == 0 || !long.TryParse(suffixed ? text[..^1] : text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 10_000_000)
        {
            Error($"expected a time such as 20s, 10m, 1h or 1d, got '{Shorten(text)}'");
            return null;
        }
        var t = TimeSpan.FromSeconds(n * seconds);
        if (t < min || t > max)
        {
            Error($"{text} is out of range {Model.IkeSettings.Time(min)}..{Model.IkeSettings.Time(max)}");
            return null;
        }
        return t;
    }

    public bool? Bool()
    {
        var text = String();
        switch (text)
        {
            case null: return null;
            case "on" or "true" or "yes": return true;
            case "off" or "false" or "no": return false;
            default:
                Error($"expected on or off, got '{Shorten(text)}'");
                return null;
        }
    }

    /// <summary>A value that must be one of a few words; the error lists them.</summary>
    public string? OneOf(string fallback, params string[] allowed)
    {
        var text = String();
        if (text is null) return fallback;
        if (allowed.Contains(text)) return text;
        Error($"'{Shorten(text)}' is not one of: {string.Join(", ", allowed)}");
        return null;
    }

    static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a value",
    };

    /// <summary>Echoes user input into messages at a bounded length.</summary>
    public static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
