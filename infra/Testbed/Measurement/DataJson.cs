using System.Text.Json;
using System.Text.Json.Serialization;

namespace Testbed.Measurement;

/// <summary>
/// How hand-edited data files (verification profiles and thresholds, baselines, bench matrices) are read and
/// written: camelCase, comments and trailing commas allowed, unknown keys refused, so a typo in a file is an
/// error that names it rather than a default silently taken.
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
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Parses a data file's text; malformed text is an error that names <paramref name="source"/>.</summary>
    public static T Parse<T>(string text, string source, JsonSerializerOptions? options = null)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, options ?? Options) ?? throw new InvalidDataException($"{source} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads a data file; a missing or malformed one is an error that names the file.</summary>
    public static T Read<T>(string file, JsonSerializerOptions? options = null) =>
        File.Exists(file) ? Parse<T>(File.ReadAllText(file), file, options) : throw new FileNotFoundException($"{file} does not exist", file);
}
