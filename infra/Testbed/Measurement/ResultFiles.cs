using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using static Testbed.Measurement.CsvText;

namespace Testbed.Measurement;

/// <summary>A run's results as they are written: where and with what, then every case.</summary>
public sealed record RunResults(RunInfo Run, IReadOnlyList<CaseResult> Cases);

/// <summary>
/// Writes a run's results as <c>results.json</c> (everything, for tools) and <c>results.csv</c> (one row per case,
/// for spreadsheets and plots). Every CPU column names its source.
/// </summary>
public static class ResultFiles
{
    /// <summary>Written as the data files are (<see cref="DataJson"/>); read back skipping unknown keys, since derived properties (a result's throughput estimate) are written for readers too.</summary>
    public static readonly JsonSerializerOptions Json = new(DataJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public static (string Json, string Csv) Write(string folder, RunResults results)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, "results.json");
        var csv = Path.Combine(folder, "results.csv");
        File.WriteAllText(json, DataJson.Write(results, Json) + "\n");
        File.WriteAllText(csv, Csv(results));
        return (json, csv);
    }

    public static RunResults Read(string jsonFile) => DataJson.Read<RunResults>(jsonFile, Json);

    static readonly string[] ShareColumns = ["user", "system", "irq", "softirq", "idle"];

    public static string Csv(RunResults results)
    {
        var header = new List<string>
        {
            "stack", "profile", "protection", "mode", "message_size", "mtu", "label", "started_utc",
            "throughput_mbps", "throughput_ci_pct", "confidence_level", "iterations", "ratio_to_plain", "ratio_ci_pct",
            "cpu_per_mbit", "cpu_source",
        };
        foreach (var role in new[] { "sender", "receiver" })
        {
            header.Add($"{role}_host");
            header.Add($"{role}_core_pct_procstat");
            header.AddRange(ShareColumns.Select(s => $"{role}_{s}_pct_procstat"));
            header.Add($"{role}_core_pct_host_side");
        }
        header.AddRange(["sa_bytes_sender", "sa_bytes_receiver", "mss", "send_buffer", "receive_buffer", "retransmissions",
            "gateway_kernel", "netperf"]);

        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', header));
        foreach (var c in results.Cases)
        {
            var row = new List<string>
            {
                results.Run.Stack, c.Key.Profile, c.Key.Protection, c.Key.Mode, N(c.Key.MessageSize), N(c.Key.Mtu), c.Label,
                c.Started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                N(c.Netperf.Mbps), N(c.Netperf.ConfidenceWidthPct), N(c.Netperf.ConfidenceLevel), N(c.Netperf.Iterations),
                N(c.RatioToPlain?.Value), N(c.RatioToPlain?.RelativeHalfWidth * 200), N(c.CpuPerMbit), c.CpuSource,
            };
            foreach (var role in new[] { "sender", "receiver" })
            {
                var g = c.FindCpu(role);
                row.Add(g?.Host ?? "");
                row.Add(N(g?.ProcStat?.CorePercent));
                var s = g?.ProcStat?.Shares;
                row.AddRange([N(s?.User), N(s?.System), N(s?.Irq), N(s?.Softirq), N(s?.Idle)]);
                row.Add(N(g?.HostSide?.CorePercent));
            }
            var sender = c.FindCpu("sender")?.Host;
            var receiver = c.FindCpu("receiver")?.Host;
            // All SAs of a gateway together: what went through IPsec there (0 for plain IP, which has none).
            long SaBytes(string? host) => c.Sas.Where(s => s.Host == host).Sum(s => s.Bytes);
            row.AddRange([N(SaBytes(sender)), N(SaBytes(receiver)), N(c.Netperf.Mss), N(c.Netperf.SendBufferBytes),
                N(c.Netperf.ReceiveBufferBytes), N(c.Netperf.Retransmissions),
                results.Run.Gateways.FirstOrDefault()?.Kernel ?? "", results.Run.Gateways.FirstOrDefault()?.Netperf ?? ""]);
            sb.AppendLine(string.Join(',', row.Select(Field)));
        }
        return sb.ToString();
    }
}
