using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verification;

/// <summary>How the suite's data files are read and written: camelCase, comments allowed (they explain themselves).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a data file; a missing or malformed one is an error that names the file.</summary>
    public static T Read<T>(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} does not exist", file);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), Options) ?? throw new InvalidDataException($"{file} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
    }
}
