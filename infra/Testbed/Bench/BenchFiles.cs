using System.Globalization;
using System.Text;
using System.Text.Json;
using Testbed.Measurement;
using Testbed.Model;
using static Testbed.Measurement.CsvText;

namespace Testbed.Bench;

/// <summary>One cell as <c>results.json</c> lists it: the key, the experiments that asked for it, the outcome and the figures derived.</summary>
public sealed record CellEntry(
    CellKey Cell,
    IReadOnlyList<string> Experiments,
    string Label,
    string Status,
    double? ThroughputMbps,
    double? ThroughputCiPct,
    double? RatioToPlain,
    double? RatioCiPct,
    string? Error,
    string? Session,
    CaseResult? Result);

/// <summary><c>results.json</c>: the matrix, the environment of every session that measured it, every planned cell.</summary>
public sealed record BenchResultsFile(
    string Stack,
    string Matrix,
    RunParameters Run,
    int HostMaxMtu,
    DateTimeOffset Written,
    int CellsPlanned,
    int CellsMeasured,
    IReadOnlyList<BenchSession> Sessions,
    BenchMatrix MatrixDefinition,
    IReadOnlyList<CellEntry> Cells);

/// <summary>
/// Writes a bench's results for people and tools: <c>results.json</c> (everything, with the environment of each
/// session: kernels, CPU models, host kind, tool version) and <c>results.csv</c> (one row per planned cell).
/// </summary>
public static class BenchFiles
{
    public static (string Json, string Csv) Write(string folder, BenchData data)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, "results.json");
        var csv = Path.Combine(folder, "results.csv");
        File.WriteAllText(json, DataJson.Write(ToFile(data), BenchJson.Results) + "\n");
        File.WriteAllText(csv, Csv(data));
        return (json, csv);
    }

    public static BenchResultsFile ToFile(BenchData data) => new(
        data.Stack, data.Matrix.Name, data.Run, data.HostMaxMtu, DateTimeOffset.UtcNow, data.Cells.Count, data.Cells.Count(c => c.Measured),
        data.Sessions, data.Matrix,
        data.Cells.Select(c => new CellEntry(c.Key, c.Experiments, c.Label, c.Status,
            c.Throughput?.Value, c.Result?.Netperf.ConfidenceWidthPct, c.Ratio?.Value, c.Ratio?.RelativeHalfWidth * 200, c.Error,
            c.Record?.Session, c.Result)).ToList());

    public static BenchResultsFile ReadJson(string file) =>
        JsonSerializer.Deserialize(File.ReadAllText(file), JsonTypes.Of<BenchResultsFile>(BenchJson.Results)) ?? throw new InvalidDataException($"{file} is empty");

    public static readonly string[] Columns =
    [
        "stack", "matrix", "experiments", "protection", "label", "mode", "message_size", "link", "mtu", "tuning", "status",
        "throughput_mbps", "throughput_ci_pct", "iterations", "ratio_to_plain", "ratio_ci_pct", "cpu_per_mbit", "cpu_source",
        "sender_core_pct_host_side", "receiver_core_pct_host_side",
        "sender_core_pct_procstat", "sender_user_pct", "sender_system_pct", "sender_irq_pct", "sender_softirq_pct",
        "receiver_core_pct_procstat", "receiver_user_pct", "receiver_system_pct", "receiver_irq_pct", "receiver_softirq_pct",
        "mss", "retransmissions", "started_utc", "wall_seconds", "session", "gateway_kernel", "gateway_cpu_model",
        "machine_kernel", "machine_cpu_model", "host_kind", "tool_version", "error",
    ];

    public static string Csv(BenchData data)
    {
        var sessions = data.Sessions.ToDictionary(s => s.Id);
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Columns));
        foreach (var c in data.Cells)
        {
            var r = c.Result;
            var env = c.Record?.Session is { } id && sessions.TryGetValue(id, out var s) ? s.Environment : null;
            IEnumerable<string> Stat(string role)
            {
                var g = r?.FindCpu(role);
                var sh = g?.ProcStat?.Shares;
                return [N(g?.ProcStat?.CorePercent), N(sh?.User), N(sh?.System), N(sh?.Irq), N(sh?.Softirq)];
            }
            var row = new List<string>
            {
                data.Stack, data.Matrix.Name, string.Join(';', c.Experiments), c.Key.Protection, c.Label, c.Key.Mode, N(c.Key.MessageSize),
                c.Key.Link, N(c.Key.Mtu), c.Key.Tuning, c.Status,
                N(c.Throughput?.Value), N(r?.Netperf.ConfidenceWidthPct), N(r?.Netperf.Iterations),
                N(c.Ratio?.Value), N(c.Ratio?.RelativeHalfWidth * 200), N(r?.CpuPerMbit), r?.CpuSource ?? "",
                N(r?.FindCpu("sender")?.HostSide?.CorePercent), N(r?.FindCpu("receiver")?.HostSide?.CorePercent),
            };
            row.AddRange(Stat("sender"));
            row.AddRange(Stat("receiver"));
            row.AddRange([
                N(r?.Netperf.Mss), N(r?.Netperf.Retransmissions),
                r?.Started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "", N(r?.WallSeconds), c.Record?.Session ?? "",
                env?.Gateways.FirstOrDefault()?.Kernel ?? "", env?.Gateways.FirstOrDefault()?.CpuModel ?? "",
                env?.MachineKernel ?? "", env?.MachineCpuModel ?? "", env?.HostKind ?? "", env?.ToolVersion ?? "", c.Error ?? "",
            ]);
            sb.AppendLine(string.Join(',', row.Select(Field)));
        }
        return sb.ToString();
    }
}
