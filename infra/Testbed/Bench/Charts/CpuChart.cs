using ScottPlot;
using Testbed.Measurement;

namespace Testbed.Bench.Charts;

/// <summary>
/// Figure 5 of the paper: where the gateways' CPU goes, per case, at the fastest link of the throughput experiment
/// and its largest message size: stacked user / system / irq / softirq from each gateway's /proc/stat (sender and
/// receiver side by side). On the local testbed a second chart shows what matters there: the CPU this machine charged
/// to each guest's UML processes, in per cent of one core.
/// </summary>
public static class CpuChart
{
    static readonly (string Name, Func<CpuShares, double> Of)[] Parts =
    [
        ("user", s => s.User + s.Nice),
        ("system", s => s.System),
        ("irq", s => s.Irq),
        ("softirq", s => s.Softirq),
    ];

    public static IEnumerable<ChartFile> Draw(BenchData data, Experiment e, IReadOnlyList<string> caseOrder, bool hostSideCpu, string folder)
    {
        var mine = data.Of(e).ToList();
        var link = Findings.FastestLink(mine);
        if (link is null) yield break;
        var size = mine.Where(c => c.Key.Link == link).Max(c => c.Key.MessageSize);
        var cells = mine.Where(c => c.Key.Link == link && c.Key.MessageSize == size && c.Key.Mode == e.Modes[0])
            .OrderBy(c => caseOrder.ToList().IndexOf(c.Key.Protection)).ToList();
        if (cells.Count == 0) yield break;
        var labels = cells.Select(c => c.Label).ToList();
        var where = $"{link} link, {size} B, {e.Modes[0]}";

        // Stacked /proc/stat split, sender and receiver side by side.
        var title = hostSideCpu
            ? $"CPU split per case from the gateways' /proc/stat ({where}) - UML books nearly everything as user"
            : $"CPU split per case from the gateways' /proc/stat ({where}) - cf. paper Fig. 5";
        var plot = ChartKit.New(title, "Case (left bar: sender, right bar: receiver)", "CPU time (% of all CPU time)");
        var bars = new List<Bar>();
        var colors = new[] { Colors.SteelBlue, Colors.Orange, Colors.Crimson, Colors.SeaGreen };
        for (var i = 0; i < cells.Count; i++)
            foreach (var (role, offset) in new[] { ("sender", -0.2), ("receiver", 0.2) })
            {
                var shares = cells[i].Result!.FindCpu(role)?.ProcStat?.Shares;
                if (shares is null) continue;
                double bottom = 0;
                for (var p = 0; p < Parts.Length; p++)
                {
                    var v = Parts[p].Of(shares);
                    bars.Add(new Bar { Position = i + offset, ValueBase = bottom, Value = bottom + v, FillColor = colors[p], Size = 0.36, LineWidth = 0 });
                    bottom += v;
                }
            }
        plot.Add.Bars(bars);
        for (var p = 0; p < Parts.Length; p++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = Parts[p].Name, FillColor = colors[p] });
        ChartKit.Categories(plot, labels);
        ChartKit.YFromZero(plot, 100);
        plot.ShowLegend(Edge.Right);
        yield return ChartKit.Save(plot, folder, "fig5-cpu-procstat", title, hostSideCpu
            ? "Stacked shares of all CPU time on each gateway over the netperf run (left bar sender, right bar receiver). Inside a " +
              "user-mode Linux guest the kernel books nearly all time as user, so this split is only meaningful on real hosts; the " +
              "next chart is the figure that matters on the local testbed."
            : "Stacked shares of all CPU time on each gateway over the netperf run (left bar sender, right bar receiver), as the paper's Fig. 5.");

        if (!hostSideCpu) yield break;
        var hostTitle = $"CPU per gateway as this machine charged the UML guests ({where}) - the local testbed's Fig. 5";
        var host = ChartKit.New(hostTitle, "Case", "CPU (% of one core)");
        var hostBars = new List<Bar>();
        var roleColors = new[] { Colors.SteelBlue, Colors.Orange };
        var max = 0.0;
        for (var i = 0; i < cells.Count; i++)
            foreach (var (role, offset, color) in new[] { ("sender", -0.2, roleColors[0]), ("receiver", 0.2, roleColors[1]) })
                if (cells[i].Result!.FindCpu(role)?.HostSide is { } h)
                {
                    hostBars.Add(new Bar { Position = i + offset, Value = h.CorePercent, FillColor = color, Size = 0.36, LineWidth = 0 });
                    max = Math.Max(max, h.CorePercent);
                }
        host.Add.Bars(hostBars);
        string Host(string role) => cells[0].Result!.FindCpu(role)?.Host ?? "?";
        host.Legend.ManualItems.Add(new LegendItem { LabelText = $"sender ({Host("sender")})", FillColor = roleColors[0] });
        host.Legend.ManualItems.Add(new LegendItem { LabelText = $"receiver ({Host("receiver")})", FillColor = roleColors[1] });
        ChartKit.Categories(host, labels);
        ChartKit.YFromZero(host, max);
        host.ShowLegend(Edge.Right);
        yield return ChartKit.Save(host, folder, "fig5-cpu-host", hostTitle,
            "utime+stime of each guest's UML processes over the run, in per cent of one core of this machine (100 = one core busy): " +
            "what a local gateway really costs. A guest is one virtual CPU, so about 100 % means the gateway was CPU-bound.");
    }
}
