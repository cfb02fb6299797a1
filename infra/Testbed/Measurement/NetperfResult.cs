using System.Globalization;

namespace Testbed.Measurement;

/// <summary>
/// What netperf reported for one test: the mean throughput over its iterations and how sure it is of it.
/// Byte counts and the MSS describe the last iteration only (netperf keeps no totals across iterations).
/// </summary>
/// <param name="ConfidenceWidthPct">Full width of the achieved confidence interval in per cent of the mean; null when netperf gave none.</param>
/// <param name="SendBufferBytes">The sender's socket send buffer at the end (LSS_SIZE_END): where tiny buffers show.</param>
/// <param name="ReceiveBufferBytes">The receiver's socket receive buffer at the end (RSR_SIZE_END).</param>
public sealed record NetperfResult(
    double Mbps,
    double? ConfidenceWidthPct,
    int ConfidenceLevel,
    int Iterations,
    double ElapsedSeconds,
    int MessageSize,
    long SendBufferBytes,
    long ReceiveBufferBytes,
    int Mss,
    long BytesSent,
    long BytesReceived,
    long Retransmissions)
{
    /// <summary>Half the confidence interval as a fraction of the mean (±1.5 % is 0.015); null when unknown.</summary>
    public double? RelativeHalfWidth => ConfidenceWidthPct / 200.0;

    /// <summary>Reads the KEY=value lines that <c>-k</c> prints; throws <see cref="FormatException"/> on anything else.</summary>
    public static NetperfResult Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq]] = line[(eq + 1)..].Trim('"');
        }

        string Text(string key) => values.TryGetValue(key, out var v)
            ? v
            : throw new FormatException($"netperf printed no {key} (output: {Shorten(output)})");
        double Number(string key) => double.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new FormatException($"netperf's {key} '{Text(key)}' is not a number");
        long Whole(string key) => (long)Math.Round(Number(key));

        var units = Text("THROUGHPUT_UNITS");
        if (units != "10^6bits/s") throw new FormatException($"netperf reported throughput in '{units}', expected 10^6bits/s");
        // netperf prints -1 when it computed no interval (a single iteration).
        var confid = Number("THROUGHPUT_CONFID");
        return new NetperfResult(
            Number("THROUGHPUT"), confid >= 0 ? confid : null, (int)Whole("CONFIDENCE_LEVEL"), (int)Whole("CONFIDENCE_ITERATION"),
            Number("ELAPSED_TIME"), (int)Whole("LOCAL_SEND_SIZE"), Whole("LSS_SIZE_END"), Whole("RSR_SIZE_END"),
            (int)Whole("TRANSPORT_MSS"), Whole("LOCAL_BYTES_SENT"), Whole("REMOTE_BYTES_RECVD"), Whole("LOCAL_TRANSPORT_RETRANS"));
    }

    static string Shorten(string s)
    {
        var t = s.Replace('\n', ' ').Trim();
        return t.Length > 300 ? t[..300] + "…" : t.Length == 0 ? "(nothing)" : t;
    }
}
