using ScottPlot;

namespace Testbed.Bench.Charts;

/// <summary>Tunnel against transport mode, per case (the paper: a few per cent apart).</summary>
public static class ModesChart
{
    public static IEnumerable<ChartFile> Draw(BenchData data, Experiment e, string folder)
    {
        var cells = data.Of(e).ToList();
        foreach (var g in cells.GroupBy(c => (c.Key.MessageSize, c.Key.Link, c.Key.Mtu, c.Key.Tuning)))
        {
            var cases = e.Cases.Where(c => g.Any(x => x.Key.Protection == c)).ToList();
            var modes = e.Modes.ToList();
            var colors = new[] { Colors.SteelBlue, Colors.Orange };
            var series = modes.Select((m, i) => new GroupedBars.Series(m, colors[i % colors.Length],
                cases.Select(c => g.FirstOrDefault(x => x.Key.Protection == c && x.Key.Mode == m)?.Throughput).ToList())).ToList();
            var title = $"Tunnel vs transport mode ({g.Key.MessageSize} B messages, {g.Key.Link} link, MTU {g.Key.Mtu}, {g.Key.Tuning})";
            var plot = GroupedBars.Draw(title, "Throughput (Mbit/s)", cases.Select(CellResult.LabelOf).ToList(), series);
            var many = cells.Select(c => (c.Key.MessageSize, c.Key.Link, c.Key.Mtu, c.Key.Tuning)).Distinct().Count() > 1;
            var name = "modes" + (many ? $"-{g.Key.MessageSize}-{ChartKit.Slug(g.Key.Link)}-{g.Key.Mtu}-{g.Key.Tuning}" : "");
            yield return ChartKit.Save(plot, folder, name, title,
                "Tunnel mode runs the stream between the gateways' site addresses (one more IP header per packet), transport mode between " +
                "their link addresses. Whiskers: netperf's confidence interval.");
        }
    }
}
