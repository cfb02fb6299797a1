using ScottPlot;

namespace Testbed.Bench.Charts;

/// <summary>A chart written to the report folder: its files (PNG and SVG, same base name), its title and a caption for report.md.</summary>
public sealed record ChartFile(string Name, string Title, string Caption)
{
    public string Png => Name + ".png";
    public string Svg => Name + ".svg";
}

/// <summary>What every chart shares: the font, the size, colours that stay with a case from chart to chart, and saving.</summary>
public static class ChartKit
{
    public const int Width = 1200;
    public const int Height = 680;

    /// <summary>Installed with Debian's fonts-dejavu-core (the bench installs it when missing).</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>Category20's ten strong colours first, then its ten light ones: the paper's 18 cases stay apart.</summary>
    static readonly Color[] Palette = Enumerable.Range(0, 20)
        .Select(i => new ScottPlot.Palettes.Category20().GetColor(i < 10 ? 2 * i : 2 * (i - 10) + 1)).ToArray();

    static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.FilledTriangleDown, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond,
    ];

    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        return plot;
    }

    /// <summary>A case's colour: by its place in the matrix's list of cases, so a suite looks the same in every chart.</summary>
    public static Color ColorOf(int index) => Palette[Math.Max(0, index) % Palette.Length];

    public static MarkerShape MarkerOf(int index) => Markers[index % Markers.Length];

    /// <summary>
    /// One case as a line in its colour and marker (its <paramref name="index"/> in the matrix's cases), netperf's
    /// interval as whiskers; returns the top of its highest whisker.
    /// </summary>
    public static double CaseLine(Plot plot, int index, IReadOnlyList<CellResult> points, Func<CellKey, double> x)
    {
        var xs = points.Select(c => x(c.Key)).ToArray();
        var ys = points.Select(c => c.Throughput!.Value).ToArray();
        var errs = points.Select(c => c.Throughput!.Value * (c.Throughput.RelativeHalfWidth ?? 0)).ToArray();
        var color = ColorOf(index);
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = points[0].Label;
        line.MarkerShape = MarkerOf(index);
        line.MarkerSize = 7;
        line.LineWidth = 1.5f;
        plot.Add.ErrorBar(xs, ys, errs).Color = color;
        return ys.Zip(errs, (y, err) => y + err).Max();
    }

    /// <summary>Category ticks (suites, steps) at 0, 1, 2 … with labels slanted so long suite names fit.</summary>
    public static void Categories(Plot plot, IReadOnlyList<string> labels, bool slant = true)
    {
        var gen = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < labels.Count; i++) gen.AddMajor(i, labels[i]);
        plot.Axes.Bottom.TickGenerator = gen;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (slant)
        {
            // Slanted, each label ending at its tick.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.TickLabelStyle.OffsetY = 8;
            var longest = labels.Count == 0 ? 0 : labels.Max(l => l.Length);
            plot.Axes.Bottom.MinimumSize = Math.Min(220, 40 + longest * 3.8f);
        }
        plot.Axes.SetLimitsX(-0.7, labels.Count - 0.3);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
    }

    /// <summary>Saves the chart as PNG and SVG in the folder; returns the base name.</summary>
    public static ChartFile Save(Plot plot, string folder, string name, string title, string caption, int width = Width, int height = Height)
    {
        Directory.CreateDirectory(folder);
        plot.SavePng(Path.Combine(folder, name + ".png"), width, height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), width, height);
        return new ChartFile(name, title, caption);
    }

    /// <summary>Y from zero to a little above the highest value (and error bar).</summary>
    public static void YFromZero(Plot plot, double max) => plot.Axes.SetLimitsY(0, max <= 0 ? 1 : max * 1.08);

    /// <summary>A file name part from free text (a link, a mode).</summary>
    public static string Slug(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
}
