using System.Text.Json;
using System.Text.Json.Serialization;

namespace Testbed.Resources;

/// <summary>
/// A setting's value as named fields, in the order <c>ip</c> or <c>sysctl</c> print them. Two values are equal
/// when every field is; keys appear here only as fingerprints.
/// </summary>
[JsonConverter(typeof(FieldsJsonConverter))]
public sealed class Fields : IEquatable<Fields>
{
    public IReadOnlyList<KeyValuePair<string, string>> Items { get; }

    public Fields(IEnumerable<KeyValuePair<string, string>> items) => Items = items.ToList();

    public static Fields Of(params (string Key, string Value)[] items) => new(items.Select(i => KeyValuePair.Create(i.Key, i.Value)));

    /// <summary>A one-field value, for settings that are a single word or number.</summary>
    public static Fields Scalar(string value) => Of(("value", value));

    public string? this[string key] => Items.FirstOrDefault(i => i.Key == key).Value;

    /// <summary>How the value reads in a plan: the scalar itself, or <c>key value</c> pairs.</summary>
    public override string ToString() =>
        Items is [{ Key: "value" } only] ? only.Value : string.Join(" ", Items.Select(i => $"{i.Key} {i.Value}"));

    /// <summary>The fields whose values differ between two readings, as <c>key: old → new</c>.</summary>
    public static IEnumerable<string> Diff(Fields? before, Fields? after)
    {
        var keys = (before?.Items ?? []).Select(i => i.Key).Concat((after?.Items ?? []).Select(i => i.Key)).Distinct();
        foreach (var key in keys)
        {
            var (b, a) = (before?[key], after?[key]);
            if (b != a) yield return key == "value" ? $"{b ?? "(none)"} → {a ?? "(none)"}" : $"{key}: {b ?? "(none)"} → {a ?? "(none)"}";
        }
    }

    public bool Equals(Fields? other) => other is not null && Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is Fields f && Equals(f);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public static bool Same(Fields? a, Fields? b) => a is null ? b is null : a.Equals(b);
}

/// <summary>
/// Writes a value as an array of <c>[key, value]</c> pairs, in order. By hand, not through the serializer, so that it
/// needs no metadata of its own and works with any options (the state file's source-generated ones, Native AOT).
/// Reading skips a pair that is not two long, as it always has; anything but arrays of strings is an error.
/// </summary>
sealed class FieldsJsonConverter : JsonConverter<Fields>
{
    public override Fields Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("a setting's value must be an array of [key, value] pairs");
        var items = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null) continue;
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("a setting's field must be a [key, value] pair");
            var pair = new List<string?>(2);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                pair.Add(reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw new JsonException("a setting's field must be a pair of strings"),
                });
            if (pair.Count == 2) items.Add(KeyValuePair.Create(pair[0]!, pair[1]!));
        }
        return new Fields(items);
    }

    public override void Write(Utf8JsonWriter writer, Fields value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var (key, item) in value.Items)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(key);
            writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }
}
