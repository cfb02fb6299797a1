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

sealed class FieldsJsonConverter : JsonConverter<Fields>
{
    public override Fields Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var items = JsonSerializer.Deserialize<List<string[]>>(ref reader, options) ?? [];
        return new Fields(items.Where(p => p.Length == 2).Select(p => KeyValuePair.Create(p[0], p[1])));
    }

    public override void Write(Utf8JsonWriter writer, Fields value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Items.Select(i => new[] { i.Key, i.Value }).ToList(), options);
}
