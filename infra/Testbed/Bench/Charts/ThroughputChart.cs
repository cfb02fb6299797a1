using ScottPlot;
using Testbed.Model;

namespace Testbed.Bench.Charts;

/// <summary>
/// Figures 1-4 of the paper: throughput against message size (log2 axis, 64 … 32768 bytes), one line per case, one
/// chart per link speed; the whiskers are netperf's confidence interval.
/// </summary>
public static class ThroughputChart
{
    /// <summary>Which of the paper's figures shows a link (its X1/X2 pair at 100 Mbit/s is figure 3).</summary>
    public static string PaperFigure(string link) => link switch
    {
        "10mbit" => "cf. paper Fig. 1",
        "100mbit" => "cf. paper Fig. 2-3",
        "1000mbit" => "cf. paper Fig. 4",
        _ => "no link limit: the gateways' own ceiling",
    };

    public static IEnumerable<ChartFile> Draw(BenchData data, Experiment e, IReadOnlyList<string> caseOrder, string folder)
    {
        var cells = data.Of(e).ToList();
        foreach (var link in e.Links.OrderBy(MatrixCells.LinkRank))
            foreach (var mode in e.Modes)
            {
                var mine = cells.Where(c => c.Key.Link == link && c.Key.Mode == mode).ToList();
                if (mine.Count == 0) continue;
                var g = mine[0].Key.Group;
                var title = $"Throughput vs message size, {Link.Parse(link)!.Name} link ({mode}, MTU {g.Mtu}, {g.Tuning}) - {PaperFigure(link)}";
                var plot = ChartKit.New(title, "Message size (bytes, log2 scale)", "Throughput (Mbit/s)");
                var max = 0.0;
                foreach (var group in mine.GroupBy(c => c.Key.Protection).OrderBy(x => caseOrder.ToList().IndexOf(x.Key)))
                    max = Math.Max(max, ChartKit.CaseLine(plot, caseOrder.ToList().IndexOf(group.Key), group.OrderBy(c => c.Key.MessageSize).ToList(),
                        k => Math.Log2(k.MessageSize)));
                var ticks = new ScottPlot.TickGenerators.NumericManual();
                foreach (var size in e.MessageSizes.Order()) ticks.AddMajor(Math.Log2(size), size.ToString(System.Globalization.CultureInfo.InvariantCulture));
                plot.Axes.Bottom.TickGenerator = ticks;
                plot.Axes.SetLimitsX(Math.Log2(e.MessageSizes.Min()) - 0.3, Math.Log2(e.MessageSizes.Max()) + 0.3);
                ChartKit.YFromZero(plot, max);
                plot.ShowLegend(Edge.Right);
                var name = $"fig1-4-throughput-{ChartKit.Slug(link)}{(e.Modes.Count > 1 ? "-" + mode : "")}";
                yield return ChartKit.Save(plot, folder, name, title,
                    $"One line per case (legend labels as in the paper), whiskers: netperf's {data.Run.ConfidenceLevel} % confidence interval. {mine.Count} cells.");
            }
    }
}
