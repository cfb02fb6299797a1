using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Testbed.Measurement;

namespace Verification;

/// <summary>
/// The suite's own data files (profiles, thresholds), read as the tool reads data files (<see cref="DataJson"/>), whose
/// options resolve only the types compiled into a context: these are the suite's.
/// </summary>
public static class VerificationJson
{
    public static readonly JsonSerializerOptions Data = DataJson.With(DataJson.Options, VerificationJsonContext.Default);

    /// <summary>
    /// The data files' options resolving by reflection, for shapes only the suite writes (anonymous report objects):
    /// the suite runs on the JIT, never in the native build.
    /// </summary>
    public static readonly JsonSerializerOptions Reflecting = new(DataJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
}

[JsonSerializable(typeof(Profile))]
[JsonSerializable(typeof(Thresholds))]
internal sealed partial class VerificationJsonContext : JsonSerializerContext;
