using ScottPlot;

namespace Testbed.Bench.Charts;

/// <summary>Section 5 of the paper as one chart: per case, a bar for each tuning step, each step adding to the one before.</summary>
public static class AblationChart
{
    static readonly Color[] StepColors = [Colors.Gray, Colors.SteelBlue, Colors.Orange, Colors.SeaGreen];

    public static IEnumerable<ChartFile> Draw(BenchData data, Experiment e, string folder)
    {
        var steps = e.AblationSteps;
        foreach (var size in e.MessageSizes)
            foreach (var link in e.Links)
                foreach (var mode in e.Modes)
                {
                    var cases = e.Cases.Where(c => steps.Any(s => Cell(data, e, c, mode, size, link, s) is not null)).ToList();
                    if (cases.Count == 0) continue;
                    var series = steps.Select((s, i) => new GroupedBars.Series(
                        s.Jumbo ? $"{s.Label} ({e.JumboMtu})" : s.Label, StepColors[AblationStep.All.ToList().IndexOf(s) % StepColors.Length],
                        cases.Select(c => Cell(data, e, c, mode, size, link, s)?.Throughput).ToList())).ToList();
                    var title = $"Tuning steps per case ({size} B messages, {link} link, {mode}, MTU {e.BaseMtu}) - paper section 5";
                    var plot = GroupedBars.Draw(title, "Throughput (Mbit/s)", cases.Select(CellResult.LabelOf).ToList(), series);
                    var name = "ablation" + (e.MessageSizes.Count > 1 ? $"-{size}" : "") + (e.Links.Count > 1 ? $"-{ChartKit.Slug(link)}" : "") +
                               (e.Modes.Count > 1 ? $"-{mode}" : "");
                    yield return ChartKit.Save(plot, folder, name, title,
                        "Each bar adds one step to the one before: stock (the hosts' own TCP and NIC settings), +TCP buffers (timestamps, " +
                        "window scaling, SACK, 87380/4194304/4194304 socket buffers), +interrupt coalescing (rx/tx-usecs 64 where the NIC has " +
                        $"them; the UML guests' NIC has only a tx timer), +jumbo MTU ({e.JumboMtu}). Whiskers: netperf's confidence interval.");
                }
    }

    static CellResult? Cell(BenchData data, Experiment e, string protection, string mode, int size, string link, AblationStep s) =>
        data.Find(new CellKey(protection, mode, size, link, e.MtuOf(s), s.Tuning));
}
