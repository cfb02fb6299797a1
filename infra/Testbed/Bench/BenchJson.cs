using System.Text.Json;
using Testbed.Measurement;

namespace Testbed.Bench;

/// <summary>How the bench writes and reads back its results (its matrices are data files: <see cref="DataJson"/>).</summary>
public static class BenchJson
{
    /// <summary>
    /// Results: the measurement code's options (<see cref="Measurement.ResultFiles.Json"/>), which read back what they
    /// wrote (derived properties such as a result's throughput estimate are written for readers and ignored on reading).
    /// </summary>
    public static readonly JsonSerializerOptions Results = Measurement.ResultFiles.Json;

    /// <summary>One record per line (JSON lines).</summary>
    public static readonly JsonSerializerOptions Line = new(Measurement.ResultFiles.Json) { WriteIndented = false };
}
