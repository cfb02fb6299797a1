using Testbed.Measurement;

namespace Verification;

/// <summary>
/// How far one metric may move from its baseline before a suite fails. The tolerance, as a fraction of the
/// baseline, is the combined confidence half-width of the measurement and of the baseline, but never less than
/// <see cref="Floor"/> (run-to-run noise that netperf's interval does not see: other load on the machine, CPU
/// sampling) and never more than <see cref="Cap"/> (so a run too noisy to judge cannot hide a real regression).
/// </summary>
/// <param name="Providers">Stack providers the metric is judged on (<c>local</c>, <c>ssh</c>).</param>
public sealed record MetricThreshold(double Floor, double Cap, IReadOnlyList<string> Providers)
{
    public bool AppliesTo(string provider) => Providers.Contains(provider);

    public IEnumerable<string> Problems(string name)
    {
        if (Floor < 0 || Floor >= 1) yield return $"{name}.floor {Floor} is not a fraction in [0, 1)";
        if (Cap < Floor || Cap >= 1) yield return $"{name}.cap {Cap} must lie between the floor and 1";
        foreach (var p in Providers.Where(p => p is not ("local" or "ssh"))) yield return $"{name}.providers: '{p}' is neither local nor ssh";
    }
}

/// <summary>The thresholds of every metric (<c>verification/thresholds.json</c>): data, not code.</summary>
public sealed record Thresholds(MetricThreshold RatioToPlain, MetricThreshold CpuPerMbit, MetricThreshold Throughput)
{
    public static Thresholds Load(string? file = null)
    {
        file ??= Repo.ThresholdsFile;
        var t = DataJson.Read<Thresholds>(file);
        var problems = t.RatioToPlain.Problems("ratioToPlain").Concat(t.CpuPerMbit.Problems("cpuPerMbit")).Concat(t.Throughput.Problems("throughput")).ToList();
        if (problems.Count > 0) throw new InvalidDataException($"{file}: {string.Join("; ", problems)}");
        return t;
    }
}
