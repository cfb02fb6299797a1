using System.Globalization;
using System.Text;
using Testbed.Bench.Charts;
using Testbed.Measurement;

namespace Testbed.Bench;

/// <summary>
/// Builds <c>report/</c> in a bench's output folder: a PNG and an SVG per chart (figures 1-6 of the paper, the tuning
/// ablation, tunnel against transport) and <c>report.md</c> embedding them, with the findings computed from the data.
/// </summary>
public static class ReportBuilder
{
    public sealed record Report(string Folder, string Markdown, IReadOnlyList<ChartFile> Charts, FindingsData Findings);

    public static Report Build(string outputFolder, BenchData data, bool hostSideCpu)
    {
        var folder = Path.Combine(outputFolder, "report");
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".svg", StringComparison.Ordinal)))
            File.Delete(old);

        var caseOrder = data.Matrix.Experiments.SelectMany(e => e.Cases).Prepend("plain").Distinct().ToList();
        var charts = new List<ChartFile>();
        foreach (var e in data.Experiments(Figure.Throughput))
        {
            charts.AddRange(ThroughputChart.Draw(data, e, caseOrder, folder));
            charts.AddRange(CpuChart.Draw(data, e, caseOrder, hostSideCpu, folder));
        }
        foreach (var e in data.Experiments(Figure.Mtu)) charts.AddRange(MtuChart.Draw(data, e, caseOrder, folder));
        foreach (var e in data.Experiments(Figure.Ablation)) charts.AddRange(AblationChart.Draw(data, e, folder));
        foreach (var e in data.Experiments(Figure.Modes)) charts.AddRange(ModesChart.Draw(data, e, folder));

        var findings = Findings.Compute(data);
        var markdown = Path.Combine(folder, "report.md");
        File.WriteAllText(markdown, Markdown(data, findings, charts, hostSideCpu));
        return new Report(folder, markdown, charts, findings);
    }

    static string F(double v, string format = "0.#") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    static string Pm(Estimate e) => e.RelativeHalfWidth is { } h ? $"{F(e.Value)} ±{F(h * 100, "0")} %" : F(e.Value);

    static string Ratio(Estimate? r) => r is null ? "-" : r.RelativeHalfWidth is { } h ? $"{F(r.Value, "0.000")} ±{F(h * 100, "0")} %" : F(r.Value, "0.000");

    static string Gain(StepGain? s) => s is null ? "-"
        : s.GainPct is not { } g ? Pm(s.Throughput)
        : $"{Pm(s.Throughput)} ({(s.VersusPrevious == Relation.Overlap ? "≈ " : "")}{F(g, "+0.0;-0.0")} %)";

    public static string Markdown(BenchData data, FindingsData f, IReadOnlyList<ChartFile> charts, bool hostSideCpu)
    {
        var sb = new StringBuilder();
        var measured = data.Cells.Count(c => c.Measured);
        var failed = data.Cells.Count(c => !c.Measured && c.Error is not null);
        sb.AppendLine($"# Benchmark: matrix `{data.Matrix.Name}` on stack `{data.Stack}`");
        sb.AppendLine();
        sb.AppendLine($"{data.Matrix.Description}");
        sb.AppendLine();
        sb.AppendLine($"netperf TCP_STREAM, one stream, {data.Run}. {measured} of {data.Cells.Count} cells measured" +
                      (failed > 0 ? $", {failed} could not be (listed at the end)" : "") +
                      (measured + failed < data.Cells.Count ? $", {data.Cells.Count - measured - failed} not yet (resume with the same command)" : "") + ".");
        sb.AppendLine();
        sb.AppendLine("| session | started (UTC) | host kind | machine | gateways | tool |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var s in data.Sessions)
        {
            var e = s.Environment;
            var gws = string.Join("; ", e.Gateways.Select(g => $"{g.Host}: Linux {g.Kernel}, {g.CpuModel}, {g.Cpus} cpu"));
            sb.AppendLine($"| {s.Id} | {s.Started.UtcDateTime:yyyy-MM-dd HH:mm} | {e.HostKindDescription} | {e.MachineHostname}: Linux {e.MachineKernel}, " +
                          $"{e.MachineCpuModel}, {e.MachineCpus} cpu | {gws} | testbed {e.ToolVersion}, .NET {e.Dotnet} |");
        }
        sb.AppendLine();
        if (hostSideCpu)
        {
            sb.AppendLine("On the local stack both gateways are user-mode Linux guests on this machine: they share its CPUs with each other and with " +
                          "whatever else runs (other engineers' tests included), so absolute numbers move from run to run. netperf's confidence " +
                          "interval shows how much; the findings below only call a difference when the intervals do not overlap. CPU figures from " +
                          "the guests' own /proc/stat book nearly everything as user; the host-side CPU (per cent of one core per guest) is the cost figure here.");
            sb.AppendLine();
        }

        sb.AppendLine("## Findings");
        sb.AppendLine();
        sb.AppendLine("### The paper's claims on this testbed");
        sb.AppendLine();
        sb.AppendLine("Two figures whose netperf confidence intervals overlap are *within noise*. A claim *holds* when at least one comparison " +
                      "clearly supports it and none clearly contradicts it, *does not hold* when comparisons contradict it and none supports it, " +
                      "*mixed* when both happen.");
        sb.AppendLine();
        sb.AppendLine("| paper's claim | compared | verdict | numbers behind it |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var c in f.Claims)
        {
            var shown = c.Evidence.OrderBy(e => e.Outcome == Verdict.DoesNotHold ? 0 : e.Outcome == Verdict.WithinNoise ? 1 : 2).Take(4)
                .Select(e => $"{Esc(e.What)}: {Esc(e.Numbers)} → {Findings.Text(e.Outcome)}");
            var more = c.Evidence.Count > 4 ? $"<br>… {c.Evidence.Count - 4} more below" : "";
            sb.AppendLine($"| {Esc(c.Statement)} | {Esc(c.Scope)} | **{Findings.Text(c.Verdict)}** | {Esc(c.Summary)}" +
                          (c.Evidence.Count > 0 ? "<br>" + string.Join("<br>", shown) + more : "") + " |");
        }
        sb.AppendLine();

        if (f.Ranking.Count > 0)
        {
            sb.AppendLine($"### Suites by throughput ({f.RankingCondition})");
            sb.AppendLine();
            sb.Append("| rank | case | Mbit/s | ratio to plain IP |");
            foreach (var l in f.RankingOtherLinks) sb.Append($" {l}: Mbit/s (ratio) |");
            sb.AppendLine();
            sb.AppendLine("|---|---|---|---|" + string.Concat(f.RankingOtherLinks.Select(_ => "---|")));
            foreach (var r in f.Ranking)
            {
                sb.Append($"| {r.Rank}{(r.TiedWithNext ? " ≈" : "")} | {Esc(r.Label)} | {Pm(r.Throughput)} | {Ratio(r.Ratio)} |");
                foreach (var l in f.RankingOtherLinks)
                    sb.Append(f.OtherLinks[l].TryGetValue(r.Protection, out var o) ? $" {F(o.Throughput.Value)} ({(o.Ratio is { } q ? F(q.Value, "0.00") : "-")}) |" : " - |");
                sb.AppendLine();
            }
            sb.AppendLine();
            sb.AppendLine("≈: its interval overlaps the next one's; the order of the two is not established. Ratio: throughput over plain IP's in the same " +
                          "group (mode, link, MTU, tuning) at the same size; its ± combines both intervals.");
            sb.AppendLine();
        }

        if (f.Gains.Count > 0)
        {
            var steps = f.Gains.SelectMany(g => g.Steps).Where(s => s is not null).Select(s => s!.Step).Distinct().ToList();
            sb.AppendLine("### Gain of each tuning step (Mbit/s, change over the step before)");
            sb.AppendLine();
            sb.AppendLine("| case | size |" + string.Concat(steps.Select(s => $" {Esc(s)} |")));
            sb.AppendLine("|---|---|" + string.Concat(steps.Select(_ => "---|")));
            foreach (var g in f.Gains)
                sb.AppendLine($"| {Esc(g.Label)} | {g.MessageSize} |" + string.Concat(steps.Select(s => $" {Gain(g.Steps.FirstOrDefault(x => x?.Step == s))} |")));
            sb.AppendLine();
            sb.AppendLine("≈: within noise (the two intervals overlap).");
            sb.AppendLine();
        }

        if (f.Modes.Count > 0)
        {
            sb.AppendLine("### Tunnel against transport mode");
            sb.AppendLine();
            sb.AppendLine("| case | size | tunnel Mbit/s | transport Mbit/s | tunnel vs transport |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var m in f.Modes)
                sb.AppendLine($"| {Esc(m.Label)} | {m.MessageSize} | {Pm(m.Tunnel)} | {Pm(m.Transport)} | {F(m.DifferencePct, "+0.0;-0.0")} %" +
                              (Math.Abs(m.DifferencePct) <= Findings.FewPercent ? $" (within {Findings.FewPercent:0} %)"
                                  : m.Relation == Relation.Overlap ? " (within noise)" : " (apart)") + " |");
            sb.AppendLine();
        }

        if (f.Mtus.Count > 0)
        {
            var mtus = f.Mtus.SelectMany(m => m.Points.Select(p => p.Mtu)).Distinct().Order().ToList();
            sb.AppendLine("### Throughput against MTU (Mbit/s)");
            sb.AppendLine();
            sb.AppendLine("| case |" + string.Concat(mtus.Select(m => $" {m} |")));
            sb.AppendLine("|---|" + string.Concat(mtus.Select(_ => "---|")));
            foreach (var m in f.Mtus)
                sb.AppendLine($"| {Esc(m.Label)} |" + string.Concat(mtus.Select(x => m.Points.FirstOrDefault(p => p.Mtu == x) is { Throughput: { } t } ? $" {Pm(t)} |" : " - |")));
            sb.AppendLine();
        }

        sb.AppendLine("## Figures");
        sb.AppendLine();
        foreach (var c in charts)
        {
            sb.AppendLine($"### {Esc(c.Title)}");
            sb.AppendLine();
            sb.AppendLine($"![{Esc(c.Title)}]({c.Png})");
            sb.AppendLine();
            sb.AppendLine($"{c.Caption} ([SVG]({c.Svg}))");
            sb.AppendLine();
        }

        if (f.Claims.Any(c => c.Evidence.Count > 4))
        {
            sb.AppendLine("## Every comparison behind the claims");
            sb.AppendLine();
            foreach (var c in f.Claims.Where(c => c.Evidence.Count > 0))
            {
                sb.AppendLine($"**{Esc(c.Statement)}** ({Findings.Text(c.Verdict)}; {Esc(c.Summary)})");
                sb.AppendLine();
                foreach (var e in c.Evidence) sb.AppendLine($"- {Esc(e.What)}: {Esc(e.Numbers)} → {Findings.Text(e.Outcome)}");
                sb.AppendLine();
            }
        }

        var notMeasured = data.Cells.Where(c => !c.Measured && c.Error is not null).ToList();
        if (notMeasured.Count > 0)
        {
            sb.AppendLine("## Cells that could not be measured");
            sb.AppendLine();
            foreach (var c in notMeasured) sb.AppendLine($"- {Esc(c.Key.ToString())}: {Esc(c.Error!)}");
            sb.AppendLine();
        }
        sb.AppendLine("The numbers are in `../results.csv` and `../results.json` (with every session's environment); the raw records in `../cells.jsonl`.");
        return sb.ToString();
    }

    static string Esc(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
