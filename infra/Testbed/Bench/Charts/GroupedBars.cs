using ScottPlot;

namespace Testbed.Bench.Charts;

/// <summary>Grouped bars: per category (a case) one bar per series (a tuning step, a mode), with netperf's interval as whiskers.</summary>
public static class GroupedBars
{
    public sealed record Series(string Name, Color Color, IReadOnlyList<Testbed.Measurement.Estimate?> Values);

    public static Plot Draw(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series)
    {
        var plot = ChartKit.New(title, "Case", yLabel);
        var bars = new List<Bar>();
        var width = 0.8 / Math.Max(1, series.Count);
        var max = 0.0;
        var errors = new List<double>();
        for (var s = 0; s < series.Count; s++)
            for (var c = 0; c < categories.Count; c++)
            {
                if (series[s].Values[c] is not { } v) continue;
                var err = v.Value * (v.RelativeHalfWidth ?? 0);
                bars.Add(new Bar
                {
                    Position = c - 0.4 + width * (s + 0.5), Value = v.Value, FillColor = series[s].Color, Size = width * 0.92, LineWidth = 0,
                });
                errors.Add(err);
                max = Math.Max(max, v.Value + err);
            }
        plot.Add.Bars(bars);
        // netperf's interval as black whiskers over each bar.
        var whiskers = plot.Add.ErrorBar(bars.Select(b => b.Position).ToArray(), bars.Select(b => b.Value).ToArray(), errors.ToArray());
        whiskers.Color = Colors.Black;
        foreach (var s in series) plot.Legend.ManualItems.Add(new LegendItem { LabelText = s.Name, FillColor = s.Color });
        ChartKit.Categories(plot, categories);
        ChartKit.YFromZero(plot, max);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
