using System.Text.Json;
using System.Text.Json.Serialization;
using Testbed.Measurement;

namespace Testbed.Bench;

/// <summary>
/// How the bench's files are read and written: as the measurement's (<see cref="ResultFiles.Json"/>, <see cref="DataJson"/>),
/// with this layer's types compiled in (<see cref="BenchJsonContext"/>) and its enums by name.
/// </summary>
public static class BenchJson
{
    /// <summary><c>results.json</c> and the lines of <c>cells.jsonl</c> and <c>sessions.jsonl</c> as they are read.</summary>
    public static readonly JsonSerializerOptions Results = Layer(ResultFiles.Json);

    /// <summary>One record per line (<see cref="ResultsStore"/>).</summary>
    public static readonly JsonSerializerOptions Line = new(Results) { WriteIndented = false };

    /// <summary>A matrix has no optional key without a default: every key its records take must be there, none null.</summary>
    public static readonly JsonSerializerOptions Matrix = new(Layer(DataJson.Options)) { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };

    static JsonSerializerOptions Layer(JsonSerializerOptions basis)
    {
        var options = DataJson.With(basis, BenchJsonContext.Default);
        options.Converters.Add(DataJson.NamedEnum<Figure>());
        return options;
    }
}

/// <summary>The bench's files, compiled in: results, the raw records, matrices.</summary>
[JsonSerializable(typeof(BenchResultsFile))]
[JsonSerializable(typeof(BenchRecord))]
[JsonSerializable(typeof(BenchSession))]
[JsonSerializable(typeof(BenchMatrix))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
