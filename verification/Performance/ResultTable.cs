using System.Globalization;
using System.Text;
using Testbed.Measurement;

namespace Verification.Performance;

/// <summary>
/// The per-suite table printed at the end of a run (and kept as table.txt): throughput with its confidence
/// interval, the ratio to plain IP, CPU per Mbit/s, both gateways' CPU from every source, and the verdict.
/// </summary>
public static class ResultTable
{
    public static string Render(RunContext run, IReadOnlyList<Verdict> verdicts, TimeSpan elapsed)
    {
        var info = run.Info;
        var local = run.HostSideCpu is not null;
        var sb = new StringBuilder();
        sb.AppendLine($"Verification: stack {info.Stack} ({info.Provider}), profile {info.Profile}, {run.BaselineName}");
        sb.AppendLine($"  gateways: {string.Join("; ", info.Gateways.Select(g => $"{g.Host} Linux {g.Kernel} {g.Machine}, {g.Cpus} cpu, {g.Netperf}"))}");
        sb.AppendLine($"  machine: {info.MachineHostname}, Linux {info.MachineKernel}, {info.MachineCpus} cpu; run took {elapsed:mm\\:ss}");
        sb.AppendLine($"  netperf TCP_STREAM {run.Profile.Seconds} s, -i {run.Profile.Iterations.Max},{run.Profile.Iterations.Min} " +
                      $"-I {run.Profile.Confidence.Level},{run.Profile.Confidence.Width.ToString(CultureInfo.InvariantCulture)}; ±CI is the half-width of netperf's " +
                      $"{run.Profile.Confidence.Level} % interval; ratio = suite / plain IP of this run");
        sb.AppendLine(local
            ? "  CPU: 'host' = % of one core used by the gateway's UML guest processes, seen from this machine (utime+stime, the cost figure);"
            : "  CPU: % of one core busy on the gateway, from its /proc/stat (the cost figure);");
        sb.AppendLine("       'stat' = the gateway's own /proc/stat split user/system/irq/softirq/idle in % of its time" +
                      (local ? " (a UML guest books nearly all of it as user)" : ""));
        sb.AppendLine($"       cpu/Mbps = % of a core (both gateways) per Mbit/s, from {(local ? CpuSources.HostUmlProcesses : CpuSources.GuestProcStat)}");
        sb.AppendLine();

        var header = new[] { "case", "mode", "size", "Mbit/s", "±CI", "ratio", "base", "cpu/Mbps", "base", "sender", "sender stat u/s/i/si/id", "receiver", "receiver stat u/s/i/si/id", "SA MB", "verdict" };
        var rows = new List<string[]> { header };
        var passes = verdicts.Select(v => v.Case.Pass).Distinct().Count() > 1;
        // A gateway's busy share of a core, from the source that is the cost figure on this stack.
        string Busy(GatewayCpu g) => $"{g.Host} {(local ? "host " + F(g.HostSide?.CorePercent, "0") : F(g.ProcStat?.CorePercent, "0"))}%";
        foreach (var v in verdicts)
        {
            var c = v.Case;
            var s = c.CpuOf("sender");
            var r = c.CpuOf("receiver");
            rows.Add(
            [
                passes ? $"{c.Key.Protection} #{c.Pass}" : c.Key.Protection, c.Key.Mode, c.Key.MessageSize.ToString(CultureInfo.InvariantCulture),
                F(c.Netperf.Mbps, "0.0"), c.Netperf.RelativeHalfWidth is { } h ? $"{h * 100:0.0}%" : "-",
                c.RatioToPlain is { } ratio ? F(ratio.Value, "0.000") : "-", v.Baseline?.RatioToPlain is { } br ? F(br, "0.000") : "-",
                F(c.CpuPerMbit, "0.0000"), v.Baseline is { } b ? F(b.CpuPerMbit, "0.0000") : "-",
                Busy(s), Split(s.ProcStat),
                Busy(r), Split(r.ProcStat),
                F(c.Sas.Where(x => x.Host == s.Host).Sum(x => x.Bytes) / 1e6, "0"), v.Summary,
            ]);
        }
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(row => row[i].Length)).ToArray();
        foreach (var row in rows)
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => i is >= 2 and <= 8 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        return sb.ToString();
    }

    static string Split(CpuUse? u) =>
        u?.Shares is { } x ? $"{x.User:0}/{x.System:0}/{x.Irq:0}/{x.Softirq:0}/{x.Idle:0}" : "-";

    static string F(double? v, string format) =>
        v is { } d && double.IsFinite(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "-";
}
