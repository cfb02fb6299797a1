using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Testbed.Config;

/// <summary>
/// Sets one value in a stack file by editing its text in place, so that every comment and every other line stays
/// as the user wrote it (what <c>pulumi config set --path</c> does). A path is the config key with dots for
/// nesting: <c>ipsec-testbed:ipsec.key.forward.enc</c>.
/// </summary>
public static class StackFileEditor
{
    /// <summary>Returns the file's new text with <paramref name="path"/> set to <paramref name="valueYaml"/> (a scalar or flow node).</summary>
    public static string Set(string text, string path, string valueYaml)
    {
        var keys = SplitPath(path);
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var stream = new YamlStream();
        stream.Load(new StringReader(string.Join('\n', lines)));
        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;

        if (root is null || !root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) || configNode is not YamlMappingNode config)
        {
            if (root?.Children.ContainsKey(new YamlScalarNode("config")) == true) throw new FormatException("config: is not a mapping");
            Insert(lines, lines.Count, 0, ["config", .. keys], valueYaml);
            return string.Join('\n', lines);
        }

        var parent = config;
        for (var i = 0; i < keys.Count; i++)
        {
            if (!parent.Children.TryGetValue(new YamlScalarNode(keys[i]), out var child))
            {
                var indent = (int)parent.Children.First().Key.Start.Column - 1;
                Insert(lines, (int)LastEnd(parent, lines).Line, indent, keys.Skip(i).ToList(), valueYaml);
                return string.Join('\n', lines);
            }
            var last = i == keys.Count - 1;
            if (!last && child is YamlMappingNode { Style: not MappingStyle.Flow } nested && nested.Children.Count > 0)
            {
                parent = nested;
                continue;
            }
            if (!last)
                throw new FormatException($"{string.Join('.', keys.Take(i + 1))} holds a value; {path} cannot go under it");
            Replace(lines, parent.Children.First(c => c.Key.Equals(new YamlScalarNode(keys[i]))).Key, child, valueYaml);
            return string.Join('\n', lines);
        }
        return string.Join('\n', lines);
    }

    /// <summary>The first key keeps its project prefix ("ipsec-testbed:ipsec"); the dots after it nest.</summary>
    public static List<string> SplitPath(string path)
    {
        var colon = path.IndexOf(':');
        var firstDot = path.IndexOf('.', Math.Max(colon, 0));
        return firstDot < 0 ? [path] : [path[..firstDot], .. path[(firstDot + 1)..].Split('.')];
    }

    /// <summary>
    /// Where a node's text ends. YamlDotNet records no end for mappings, so it is the end of the last scalar
    /// inside, plus the closing brace for a flow mapping.
    /// </summary>
    static Mark LastEnd(YamlNode node, List<string> lines)
    {
        var end = node switch
        {
            YamlMappingNode m when m.Children.Count > 0 => m.Children.Select(c => LastEnd(c.Value, lines)).Concat(m.Children.Select(c => LastEnd(c.Key, lines))).MaxBy(Order)!,
            YamlSequenceNode s when s.Children.Count > 0 => s.Children.Select(c => LastEnd(c, lines)).MaxBy(Order)!,
            _ => node.End,
        };
        if (node is YamlMappingNode { Style: MappingStyle.Flow } or YamlSequenceNode { Style: SequenceStyle.Flow })
        {
            var line = lines[(int)end.Line - 1];
            var close = line.IndexOfAny(['}', ']'], (int)end.Column - 1);
            if (close >= 0) return new Mark(end.Index, end.Line, close + 2);
        }
        return end;
    }

    static long Order(Mark m) => m.Line * 100_000 + m.Column;

    static void Insert(List<string> lines, int at, int indent, IReadOnlyList<string> keys, string valueYaml)
    {
        var block = keys.Select((k, i) => new string(' ', indent + 2 * i) + (i == keys.Count - 1 ? $"{k}: {valueYaml}" : $"{k}:")).ToList();
        if (at >= lines.Count && lines.Count > 0 && lines[^1] == "") at = lines.Count - 1;
        lines.InsertRange(Math.Min(at, lines.Count), block);
    }

    static void Replace(List<string> lines, YamlNode key, YamlNode value, string valueYaml)
    {
        var end = LastEnd(value, lines);
        if (value is YamlMappingNode { Style: not MappingStyle.Flow } or YamlSequenceNode { Style: not SequenceStyle.Flow })
        {
            // A block value under the key: the key line takes the new value, the block's lines go.
            var keyLine = (int)key.Start.Line - 1;
            var colon = lines[keyLine].IndexOf(':', (int)key.End.Column - 1);
            lines[keyLine] = lines[keyLine][..(colon + 1)] + " " + valueYaml;
            lines.RemoveRange(keyLine + 1, (int)end.Line - 1 - keyLine);
            return;
        }
        var (sl, sc, el, ec) = ((int)value.Start.Line - 1, (int)value.Start.Column - 1, (int)end.Line - 1, (int)end.Column - 1);
        var merged = lines[sl][..sc] + valueYaml + lines[el][Math.Min(ec, lines[el].Length)..];
        lines.RemoveRange(sl, el - sl + 1);
        lines.Insert(sl, merged);
    }

    /// <summary>Puts <c>encryptionsalt: …</c> on the first line after the leading comments, as Pulumi does.</summary>
    public static string WithEncryptionSalt(string text, string salt)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var at = lines.FindIndex(l => !l.TrimStart().StartsWith('#'));
        lines.Insert(at < 0 ? lines.Count : at, $"encryptionsalt: {salt}");
        return string.Join('\n', lines);
    }
}
