using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Testbed.Measurement.Detection;

/// <summary>
/// How often a detector fired in a number of runs, with the exact (Clopper-Pearson) confidence interval of that rate:
/// the quantiles of the Beta distributions that bound a binomial proportion, from Perfolizer. Exact rather than
/// Wald's normal approximation, because the rates that matter sit at 0, 5 and 90-100 % with ten runs or fewer, where
/// the normal approximation gives intervals that leave [0, 1] or shrink to nothing at 0/n.
/// </summary>
public sealed record DetectionRate(int Fired, int Runs)
{
    public double Rate => Runs == 0 ? double.NaN : (double)Fired / Runs;

    /// <summary>The two-sided interval at <paramref name="level"/>; with no runs, everything from 0 to 1.</summary>
    public (double Low, double High) Interval(double level = 0.95)
    {
        if (Fired < 0 || Runs < 0 || Fired > Runs) throw new ArgumentOutOfRangeException(nameof(Fired), $"{Fired} of {Runs} runs");
        var tail = (1 - level) / 2;
        var low = Fired == 0 ? 0 : new BetaDistribution(Fired, Runs - Fired + 1).Quantile(tail);
        var high = Fired == Runs ? 1 : new BetaDistribution(Fired + 1, Runs - Fired).Quantile(1 - tail);
        return (low, high);
    }

    public override string ToString()
    {
        var (low, high) = Interval();
        return $"{Fired}/{Runs} = {100 * Rate:0}% ({100 * low:0} … {100 * high:0}%)";
    }
}
