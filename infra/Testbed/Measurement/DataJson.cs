using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Testbed.Model;

namespace Testbed.Measurement;

/// <summary>
/// How hand-edited data files (verification profiles and thresholds, baselines, bench matrices) are read and
/// written: camelCase, comments and trailing commas allowed, unknown keys refused, so a typo in a file is an
/// error that names it rather than a default silently taken. Enums are written by name, camelCase: each enum a file
/// holds has its converter in the options of that file (<see cref="NamedEnum{T}"/>; none in this layer's files so far).
/// The types are compiled in (<see cref="MeasurementJsonContext"/>); a layer above adds its own with <see cref="With"/>.
/// </summary>
public static class DataJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = MeasurementJsonContext.Default,
    };

    /// <summary>An enum written by its camelCase name, as every data file writes enums.</summary>
    public static JsonConverter NamedEnum<T>() where T : struct, Enum => new JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase);

    /// <summary><paramref name="basis"/> that also knows the types of <paramref name="context"/> (a layer's own source-generated context).</summary>
    public static JsonSerializerOptions With(JsonSerializerOptions basis, IJsonTypeInfoResolver context) =>
        new(basis) { TypeInfoResolver = JsonTypeInfoResolver.Combine(context, basis.TypeInfoResolver) };

    /// <summary>Parses a data file's text; malformed text is an error that names <paramref name="source"/>.</summary>
    public static T Parse<T>(string text, string source, JsonSerializerOptions? options = null)
    {
        try
        {
            return JsonSerializer.Deserialize(text, JsonTypes.Of<T>(options ?? Options)) ?? throw new InvalidDataException($"{source} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads a data file; a missing or malformed one is an error that names the file.</summary>
    public static T Read<T>(string file, JsonSerializerOptions? options = null) =>
        File.Exists(file) ? Parse<T>(File.ReadAllText(file), file, options) : throw new FileNotFoundException($"{file} does not exist", file);

    /// <summary>A value as its file holds it (indented, no newline at the end).</summary>
    public static string Write<T>(T value, JsonSerializerOptions? options = null) => JsonSerializer.Serialize(value, JsonTypes.Of<T>(options ?? Options));
}

/// <summary>The files of this layer, compiled in: a run's results and the verification baselines.</summary>
[JsonSerializable(typeof(RunResults))]
[JsonSerializable(typeof(BaselineFile))]
internal sealed partial class MeasurementJsonContext : JsonSerializerContext;
