using ScottPlot;

namespace Testbed.Bench.Charts;

/// <summary>Figure 6 of the paper: throughput against MTU, one line per selected case; whiskers are netperf's interval.</summary>
public static class MtuChart
{
    public static IEnumerable<ChartFile> Draw(BenchData data, Experiment e, IReadOnlyList<string> caseOrder, string folder)
    {
        var cells = data.Of(e).ToList();
        foreach (var g in cells.GroupBy(c => (c.Key.MessageSize, c.Key.Link, c.Key.Mode, c.Key.Tuning)))
        {
            var title = $"Throughput vs MTU ({g.Key.MessageSize} B messages, {g.Key.Link} link, {g.Key.Mode}, {g.Key.Tuning}) - cf. paper Fig. 6";
            var plot = ChartKit.New(title, "MTU (bytes)", "Throughput (Mbit/s)");
            var max = 0.0;
            foreach (var line in g.GroupBy(c => c.Key.Protection).OrderBy(x => caseOrder.ToList().IndexOf(x.Key)))
                max = Math.Max(max, ChartKit.CaseLine(plot, caseOrder.ToList().IndexOf(line.Key), line.OrderBy(c => c.Key.Mtu).ToList(), k => k.Mtu));
            var mtus = g.Select(c => c.Key.Mtu).Distinct().Order().ToList();
            var span = Math.Max(1, mtus[^1] - mtus[0]);
            plot.Axes.SetLimitsX(mtus[0] - span * 0.03, mtus[^1] + span * 0.03);
            ChartKit.YFromZero(plot, max);
            plot.ShowLegend(Edge.Right);
            var name = $"fig6-mtu{(cells.Select(c => c.Key.MessageSize).Distinct().Count() > 1 ? "-" + g.Key.MessageSize : "")}";
            yield return ChartKit.Save(plot, folder, name, title,
                $"MTUs measured: {string.Join(", ", mtus)} (the largest is the most the gateways' NIC takes, {data.HostMaxMtu}). " +
                "On the local testbed every MTU change reboots both guests.");
        }
    }
}
