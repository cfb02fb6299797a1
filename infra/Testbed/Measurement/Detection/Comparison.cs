using Perfolizer.Mathematics.Distributions.ContinuousDistributions;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;
using Pragmastat.Algorithms;

namespace Testbed.Measurement.Detection;

/// <summary>Which way a metric gets worse: the ratio to plain IP when it falls, CPU per Mbit/s when it rises.</summary>
public enum Worse { Lower, Higher }

/// <summary>
/// One metric of one case, measured and reference samples side by side (positive values: throughput ratios, CPU per
/// Mbit/s). Judged the way BenchmarkDotNet judges a benchmark against its baseline, with the statistics behind it
/// (Perfolizer, Pragmastat): a one-sided Mann-Whitney test that the measured samples are worse than the reference by
/// more than a threshold, and the Hodges-Lehmann shift (the median of the pairwise log ratios) with its distribution-free
/// confidence interval, from the same test's null distribution (Lehmann's inversion).
/// Rank statistics, because a netperf sample on a shared machine has outliers (a neighbour's build, a page-cache flush)
/// that move a mean by tens of per cent and a median by little.
/// </summary>
public sealed record Comparison(string Metric, Worse Worse, IReadOnlyList<double> Reference, IReadOnlyList<double> Measured)
{
    /// <summary>Fewer samples on a side than this cannot give a p-value below 1 % at all (Mann-Whitney 3 vs 3: 0.05).</summary>
    public const int MinSamples = 4;

    /// <summary>The power with which <see cref="ShiftVerdict.Detectable"/> is stated.</summary>
    public const double Power = 0.9;

    public string? Problem =>
        Reference.Count < MinSamples || Measured.Count < MinSamples
            ? $"{Metric}: {Measured.Count} measured and {Reference.Count} reference samples; at least {MinSamples} of each are needed"
            : Reference.Concat(Measured).Any(v => !double.IsFinite(v) || v <= 0)
                ? $"{Metric}: a sample is zero, negative or not a number"
                : null;

    /// <param name="threshold">The worsening (a fraction: 0.05 is 5 %) that is tolerated before it counts as a regression.</param>
    /// <param name="alpha">The chance of calling a regression when the true worsening is exactly the threshold.</param>
    /// <param name="confidence">The level of the shift's interval (two-sided).</param>
    public ShiftVerdict Judge(double threshold, double alpha, double confidence = 0.95)
    {
        if (Problem is { } problem) throw new InvalidOperationException(problem);
        if (CannotJudge(threshold) is { } why) throw new ArgumentOutOfRangeException(nameof(threshold), why);

        var reference = new Sample(Reference.ToArray());
        var measured = new Sample(Measured.ToArray());
        // "x is greater than y by more than the threshold": x the side that is larger when things got worse.
        var (x, y) = Worse == Worse.Lower ? (reference, measured) : (measured, reference);
        var factor = FactorOf(Worse, threshold);
        var test = MannWhitneyTest.Instance.Perform(x, y, AlternativeHypothesis.Greater,
            new Threshold(PercentValue.Of((factor - 1) * 100).ToMeasurement()));

        // The shift on a log scale is a relative shift: log(measured) - log(reference).
        var logMeasured = Measured.Select(v => Math.Log(v)).Order().ToArray();
        var logReference = Reference.Select(v => Math.Log(v)).Order().ToArray();
        var (low, center, high) = ShiftInterval(logMeasured, logReference, confidence);
        var worsening = WorseningOf(center);
        var (worseLow, worseHigh) = Worse == Worse.Lower ? (WorseningOf(high), WorseningOf(low)) : (WorseningOf(low), WorseningOf(high));

        // What this run could have seen: the threshold plus the margin the test needs at this spread and these sample
        // sizes to reject with the stated power (normal approximation of the shift's sampling error, taken from the
        // width of its own interval).
        var normal = NormalDistribution.Standard;
        var standardError = (Math.Log(high) - Math.Log(low)) / 2 / normal.Quantile(1 - (1 - confidence) / 2);
        var detectableLog = Math.Log(factor) + (normal.Quantile(1 - alpha) + normal.Quantile(Power)) * standardError;
        var detectable = Worse == Worse.Lower ? 1 - Math.Exp(-detectableLog) : Math.Exp(detectableLog) - 1;

        return new ShiftVerdict(Metric, Worse, Reference.Count, Measured.Count, Toolkit.Center(reference).NominalValue,
            Toolkit.Center(measured).NominalValue, worsening, worseLow, worseHigh, threshold, alpha, test.PValue, test.PValue < alpha, detectable);
    }

    /// <summary>
    /// Why no test can tell a worsening beyond <paramref name="threshold"/>; null when one can. A cost may double and more;
    /// a ratio or a throughput cannot fall by 100 % or more and stay positive, so a recording that drifted that much
    /// between its own visits tolerates any fall.
    /// </summary>
    public string? CannotJudge(double threshold) => CannotJudge(Metric, Worse, threshold);

    /// <inheritdoc cref="CannotJudge(double)"/>
    public static string? CannotJudge(string metric, Worse worse, double threshold) =>
        threshold < 0 || !double.IsFinite(threshold) ? $"a worsening threshold of {threshold} is not a fraction"
        : worse == Worse.Lower && threshold >= 1 ? $"{metric}: a tolerated fall of {ShiftVerdict.Pct(threshold)} leaves nothing to detect"
        : null;

    /// <summary>The factor between the worse and the better side that a worsening of this size means.</summary>
    internal static double FactorOf(Worse worse, double worsening) => worse == Worse.Lower ? 1 / (1 - worsening) : 1 + worsening;

    /// <summary>A ratio measured/reference as a worsening: positive when worse, negative when better.</summary>
    double WorseningOf(double ratio) => Worse == Worse.Lower ? 1 - ratio : ratio - 1;

    /// <summary>
    /// The Hodges-Lehmann estimate of the shift between two sorted samples (logs) and its distribution-free interval: the
    /// order statistics of the pairwise differences whose ranks the Mann-Whitney null distribution gives (Lehmann 1963),
    /// as ratios. Perfolizer supplies the exact distribution, Pragmastat the pairwise-difference quantiles.
    /// </summary>
    static (double Low, double Center, double High) ShiftInterval(double[] x, double[] y, double confidence)
    {
        int n = x.Length, m = y.Length;
        long total = (long)n * m;
        var cdf = n + m <= 65 ? (IMannWhitneyCdf)MannWhitneyLoefflerExactCdf.Instance : MannWhitneyEdgeworthApproxCdf.Instance;
        var tail = (1 - confidence) / 2;
        // The largest c with P(U <= c) <= tail; Cdf(n, m, u) is P(U < u).
        var c = -1;
        while (c + 1 < total / 2 && cdf.Cdf(n, m, c + 2) <= tail) c++;
        var lowRank = Math.Max(1, c + 1);
        var highRank = Math.Min(total, total - c);
        double P(long rank) => total == 1 ? 0 : (rank - 1) / (double)(total - 1);
        var q = FastShift.Estimate(x, y, [P(lowRank), 0.5, P(highRank)], assumeSorted: true);
        return (Math.Exp(q[0]), Math.Exp(q[1]), Math.Exp(q[2]));
    }
}

/// <summary>
/// A metric judged: the centres (Hodges-Lehmann) of both sides, the worsening of measured against reference with its
/// interval (positive: worse), the threshold and the test, and the smallest worsening the run could have detected.
/// </summary>
/// <param name="Worsening">Relative: 0.15 means 15 % worse (a ratio 15 % lower, or a cost 15 % higher).</param>
/// <param name="Detectable">The worsening this run would have called a regression with <see cref="Comparison.Power"/>.</param>
public sealed record ShiftVerdict(
    string Metric,
    Worse Worse,
    int ReferenceCount,
    int MeasuredCount,
    double ReferenceCenter,
    double MeasuredCenter,
    double Worsening,
    double WorseningLow,
    double WorseningHigh,
    double Threshold,
    double Alpha,
    double PValue,
    bool Regressed,
    double Detectable)
{
    public static string Pct(double fraction) => $"{fraction * 100:+0.0;-0.0;0.0}%";

    /// <summary>How many times this run's samples (on both sides: against a recording, recorded again as large) it would take to detect <paramref name="target"/>.</summary>
    public double SamplesFor(double target) => SamplesFor(Worse, Threshold, Detectable, target);

    /// <summary>
    /// How many times the samples (on both sides) a comparison that could detect <paramref name="detectable"/> would need
    /// to detect <paramref name="target"/>: the margin above the threshold is the shift's standard error times a constant,
    /// and that error falls with the square root of the samples; the threshold itself does not fall. Infinite for a
    /// target at or below the threshold, which no number of samples calls. Against a recording the reference side is
    /// the recording's samples: they grow only when the baseline is recorded again with the larger profile (a profile's
    /// baseline is its own), and without that the factor is too small.
    /// </summary>
    public static double SamplesFor(Worse worse, double threshold, double detectable, double target)
    {
        double Log(double worsening) => Math.Log(Comparison.FactorOf(worse, worsening));
        var room = Log(target) - Log(threshold);
        return room <= 0 ? double.PositiveInfinity : Math.Pow((Log(detectable) - Log(threshold)) / room, 2);
    }

    public string Describe(string subject, string unit = "") =>
        $"{subject}: {Metric} {MeasuredCenter:0.####}{U(unit)} against {ReferenceCenter:0.####}{U(unit)}: " +
        $"{Pct(Worsening)} worse (95 % interval {Pct(WorseningLow)} … {Pct(WorseningHigh)}); threshold {Pct(Threshold)}, " +
        $"Mann-Whitney p = {PValue:0.####} {(Regressed ? "<" : ">=")} {Alpha:0.####} ({MeasuredCount} vs {ReferenceCount} samples); " +
        $"this run could detect {Pct(Detectable)} or more";

    static string U(string unit) => unit.Length > 0 ? " " + unit : "";
}
