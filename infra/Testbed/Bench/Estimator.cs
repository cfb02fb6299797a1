using Testbed.Providers;

namespace Testbed.Bench;

/// <summary>An estimated duration: the likely value and its range (netperf stops early once its interval is narrow enough).</summary>
public sealed record Duration(TimeSpan Expected, TimeSpan Low, TimeSpan High)
{
    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s"
        : $"{Math.Max(0, (int)Math.Round(t.TotalSeconds))} s";

    public override string ToString() =>
        Low == High ? $"about {Format(Expected)}" : $"about {Format(Expected)} (between {Format(Low)} and {Format(High)})";
}

/// <summary>
/// Estimates how long a list of cells takes in the order given: per cell the iterations times the run length plus
/// the overheads above, and the provisioning each change of suite, group or MTU between consecutive cells costs.
/// </summary>
public static class Estimator
{
    /// <param name="expectedIterations">How many iterations a cell is expected to take (null: the maximum, what the
    /// local testbed's wide intervals always take).</param>
    /// <param name="startMtu">The MTU the hosts run now (null: they are not running and must be brought up).</param>
    /// <param name="endMtu">When given, the stack is put back at the end: at this MTU (a reboot on the local testbed when the last cell ran another).</param>
    public static Duration Estimate(IReadOnlyList<CellKey> cells, RunParameters run, CellOverheads o, int? startMtu, double? expectedIterations = null,
        int? endMtu = null)
    {
        if (cells.Count == 0) return new Duration(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        double fixedCost = startMtu is null ? o.BringUp : 0;
        CellKey? previous = null;
        foreach (var c in cells)
        {
            if (previous is null)
                fixedCost += (startMtu is { } m && m != c.Mtu ? o.MtuChange : 0) + o.GroupChange + o.SuiteChange;
            else if (previous.Mtu != c.Mtu) fixedCost += o.MtuChange + o.GroupChange + o.SuiteChange;
            else if (previous.Group != c.Group) fixedCost += o.GroupChange + o.SuiteChange;
            else if (previous.Protection != c.Protection) fixedCost += o.SuiteChange;
            fixedCost += o.PerCell;
            previous = c;
        }
        if (endMtu is { } end) fixedCost += (previous!.Mtu != end ? o.MtuChange : 0) + o.GroupChange + o.SuiteChange;
        double Netperf(double iterations) => cells.Count * iterations * (run.Seconds + o.PerIteration);
        var expected = Math.Clamp(expectedIterations ?? run.MaxIterations, run.MinIterations, run.MaxIterations);
        return new Duration(
            TimeSpan.FromSeconds(fixedCost + Netperf(expected)),
            TimeSpan.FromSeconds(fixedCost + Netperf(run.MinIterations)),
            TimeSpan.FromSeconds(fixedCost + Netperf(run.MaxIterations)));
    }

    /// <summary>
    /// The time left, calibrated by the run so far: the model's estimate of what remains, scaled by how the cells done
    /// compared with the model (a loaded machine runs slower than the model; a quiet lab may run faster).
    /// </summary>
    /// <param name="cellsDone">How many cells the comparison rests on: the first few say little, so the scale moves
    /// from 1 towards the measured ratio as cells finish (halfway after <see cref="CalibrationCells"/>).</param>
    public static TimeSpan Remaining(TimeSpan modelRemaining, TimeSpan modelDone, TimeSpan actualDone, int cellsDone)
    {
        if (modelDone <= TimeSpan.Zero || actualDone <= TimeSpan.Zero || cellsDone <= 0) return modelRemaining;
        var measured = Math.Clamp(actualDone / modelDone, 0.25, 4.0);
        var weight = cellsDone / (double)(cellsDone + CalibrationCells);
        return modelRemaining * (1 + (measured - 1) * weight);
    }

    public const int CalibrationCells = 5;
}
