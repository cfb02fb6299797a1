using Testbed.Measurement;

namespace Verification.Performance;

/// <summary>
/// Which declaration a sample was taken under: the stack as its file declares it, or the reference it is judged
/// against (the declaration its baseline was recorded with), measured in the same run when the two differ.
/// </summary>
public enum Side { Stack, Reference }

/// <summary>A case on one side: protection, mode and message size (the MTU follows from the side's declaration).</summary>
public sealed record SampleKey(Side Side, string Protection, string Mode, int MessageSize)
{
    public override string ToString() => $"{Protection} {Mode} {MessageSize} B{(Side == Side.Reference ? " (reference)" : "")}";
}

/// <summary>
/// One sample as taken: the measurement (netperf's single run, both gateways' CPU, the SAs' counters), the visit it
/// belongs to, how often it was taken again because the machine was busy, and for an IPsec sample the ratio to the
/// plain IP sample taken next to it.
/// </summary>
public sealed record Taken(Side Side, int Visit, CaseResult Result, int Retries, double? RatioToPlain = null)
{
    public SampleKey Key => new(Side, Result.Key.Protection, Result.Key.Mode, Result.Key.MessageSize);
}

/// <summary>Every sample of a run, by case and side; thread-safe for adding while fixtures read.</summary>
public sealed class RunSamples
{
    readonly List<Taken> _all = [];

    public void Add(Taken t)
    {
        lock (_all) _all.Add(t);
    }

    public IReadOnlyList<Taken> All
    {
        get { lock (_all) return [.. _all]; }
    }

    public IReadOnlyList<Taken> Of(SampleKey key) => All.Where(t => t.Key == key).ToList();

    public IReadOnlyList<SampleKey> Keys => All.Select(t => t.Key).Distinct().ToList();

    /// <summary>
    /// Where plain IP had visits of its own (transport mode: the policies select the link addresses, so it cannot run
    /// beside a suite), an IPsec sample's ratio is taken to the plain sample of the same side, visit, size and round.
    /// </summary>
    public void PairRatios()
    {
        lock (_all)
        {
            var plain = _all.Where(t => t.Result.Key.Protection == "plain")
                .GroupBy(t => (t.Side, t.Visit, t.Result.Key.Mode, t.Result.Key.MessageSize)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var group in _all.Where(t => t.Result.Key.Protection != "plain" && t.RatioToPlain is null)
                         .GroupBy(t => (t.Side, t.Visit, t.Result.Key.Protection, t.Result.Key.Mode, t.Result.Key.MessageSize)).ToList())
            {
                if (!plain.TryGetValue((group.Key.Side, group.Key.Visit, group.Key.Mode, group.Key.MessageSize), out var partners)) continue;
                foreach (var (t, p) in group.Zip(partners))
                    _all[_all.IndexOf(t)] = t with { RatioToPlain = t.Result.Netperf.Mbps / p.Result.Netperf.Mbps };
            }
        }
    }

    /// <summary>
    /// Every sample of a run with the look it belongs to: 1 for the only look, or for the first when a second was taken
    /// (<paramref name="first"/>); 2 for the second, which the run was judged on.
    /// </summary>
    public static IEnumerable<(Taken Sample, int Look)> Looks(RunSamples judged, RunSamples? first) =>
        first is null ? judged.All.Select(t => (t, 1)) : first.All.Select(t => (t, 1)).Concat(judged.All.Select(t => (t, 2)));

    /// <summary>A metric's values of a case, each with its visit.</summary>
    public static IReadOnlyList<(int Visit, double Value)> Values(IEnumerable<Taken> samples, Metric metric) =>
        samples.Select(t => (t.Visit, Value: metric.Of(t))).Where(x => x.Value is { } v && double.IsFinite(v) && v > 0)
            .Select(x => (x.Visit, x.Value!.Value)).ToList();
}

/// <summary>What is judged of a case: how to read it off a sample, which way it gets worse, its unit.</summary>
public sealed record Metric(string Name, Testbed.Measurement.Detection.Worse Worse, string Unit, Func<Taken, double?> Of)
{
    public static readonly Metric Ratio = new("throughput ratio to plain IP", Testbed.Measurement.Detection.Worse.Lower, "", t => t.RatioToPlain);

    public static readonly Metric Cpu = new("CPU per Mbit/s", Testbed.Measurement.Detection.Worse.Higher, "%core/(Mbit/s)", t => t.Result.CpuPerMbit);

    public static readonly Metric Throughput = new("throughput", Testbed.Measurement.Detection.Worse.Lower, "Mbit/s", t => t.Result.Netperf.Mbps);

    /// <summary>The metric as a baseline recorded it.</summary>
    public MetricBaseline? Recorded(BaselineEntry e) => this == Ratio ? e.RatioToPlain : this == Cpu ? e.CpuPerMbit : e.Throughput;
}
