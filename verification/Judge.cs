using Testbed.Measurement;

namespace Verification;

/// <summary>Which way a metric regresses.</summary>
public enum Worse { Lower, Higher }

/// <summary>The tolerance of one comparison and what it was built from (fractions of the baseline value).</summary>
public sealed record Tolerance(double Value, double? ConfidenceHalfWidth, double Floor, double Cap)
{
    /// <summary>
    /// max(floor, min(cap, combined half-width)); with no interval known, the cap (the least we can say).
    /// </summary>
    public static Tolerance For(MetricThreshold t, double? measuredHalfWidth, double? baselineHalfWidth)
    {
        var ci = Estimate.Combine(measuredHalfWidth, baselineHalfWidth);
        return new Tolerance(Math.Max(t.Floor, Math.Min(t.Cap, ci ?? t.Cap)), ci, t.Floor, t.Cap);
    }

    public override string ToString() =>
        $"{Pct(Value)} (confidence ±{(ConfidenceHalfWidth is { } c ? Pct(c) : "unknown")}, floor {Pct(Floor)}, cap {Pct(Cap)})";

    public static string Pct(double fraction) => $"{fraction * 100:0}%";
}

/// <summary>One metric of one case against its baseline.</summary>
public sealed record Check(string Metric, string Unit, Worse Worse, double Measured, double Baseline, Tolerance Tolerance)
{
    public double Limit => Worse == Worse.Lower ? Baseline * (1 - Tolerance.Value) : Baseline * (1 + Tolerance.Value);

    public bool Passed => double.IsFinite(Measured) && (Worse == Worse.Lower ? Measured >= Limit : Measured <= Limit);

    public double Change => Measured / Baseline - 1;

    public string Short => $"{Metric} {Change:+0%;-0%}";

    public string Describe(string suite, string baselineName) =>
        $"{suite}: {Metric} {Measured:0.####}{U} is {Tolerance.Pct(Math.Abs(Change))} {(Change < 0 ? "below" : "above")} the baseline " +
        $"{Baseline:0.####}{U} ({baselineName}); tolerance {Tolerance} puts the limit at {Limit:0.####}";

    string U => Unit.Length > 0 ? " " + Unit : "";
}

/// <summary>A case's checks, or why it could not be judged.</summary>
public sealed record Verdict(CaseResult Case, BaselineEntry? Baseline, IReadOnlyList<Check> Checks, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0 && Checks.All(c => c.Passed);

    public IEnumerable<Check> Failed => Checks.Where(c => !c.Passed);

    public string Summary => Baseline is null ? "no baseline"
        : Problems.Count > 0 ? "not judged"
        : Passed ? "ok" : "REGRESSED " + string.Join(", ", Failed.Select(c => c.Short));
}

/// <summary>
/// Compares a measured case with its baseline, metric by metric, as <c>thresholds.json</c> says: the ratio to plain IP
/// (IPsec cases), CPU per Mbit/s, and absolute throughput where the stack's provider is listed for it.
/// </summary>
public static class Judge
{
    public const string CpuUnit = "%core/(Mbit/s)";

    public static Verdict Of(CaseResult c, BaselineEntry? b, Thresholds t, string provider, string baselineName)
    {
        if (b is null) return new Verdict(c, null, [], [$"no baseline for {c.Key} in {baselineName}"]);
        var checks = new List<Check>();
        var problems = new List<string>();
        if (t.RatioToPlain.AppliesTo(provider) && b.RatioToPlain is { } baseRatio)
        {
            if (c.RatioToPlain is { } ratio)
                checks.Add(new Check("throughput ratio to plain IP", "", Worse.Lower, ratio.Value, baseRatio,
                    Tolerance.For(t.RatioToPlain, ratio.RelativeHalfWidth, b.RatioHalfWidth)));
            else
                problems.Add($"{c.Key}: plain IP was not measured at {c.Key.MessageSize} B in this run, so there is no ratio to judge");
        }
        if (t.CpuPerMbit.AppliesTo(provider))
        {
            // CPU time is summed over the whole run; its uncertainty is that of the throughput it is divided by.
            if (b.CpuSource != c.CpuSource)
                problems.Add($"{c.Key}: the baseline's CPU comes from '{b.CpuSource}', this run's from '{c.CpuSource}'; they cannot be compared");
            else
                checks.Add(new Check($"CPU per Mbit/s [{c.CpuSource}]", CpuUnit, Worse.Higher, c.CpuPerMbit, b.CpuPerMbit,
                    Tolerance.For(t.CpuPerMbit, c.Netperf.RelativeHalfWidth, b.ThroughputHalfWidth)));
        }
        if (t.Throughput.AppliesTo(provider))
            checks.Add(new Check("throughput", "Mbit/s", Worse.Lower, c.Netperf.Mbps, b.ThroughputMbps,
                Tolerance.For(t.Throughput, c.Netperf.RelativeHalfWidth, b.ThroughputHalfWidth)));
        return new Verdict(c, b, checks, problems);
    }
}
