namespace Testbed.Providers;

/// <summary>
/// Reads the gateways' CPU from outside them, where that is possible: a local gateway is a set of processes of
/// this machine. Lab gateways have no outside view; their /proc/stat is the real thing.
/// </summary>
public interface IHostSideCpu
{
    /// <summary>CPU ticks (1/100 s) charged so far to each gateway, and the machine's own busy and total ticks.</summary>
    HostSideSample Sample();
}

/// <param name="Gateways">Ticks charged so far to each gateway, by gateway name.</param>
/// <param name="MachineBusy">Ticks this machine's CPUs spent busy so far (user, nice, system, irq, softirq), all CPUs.</param>
/// <param name="MachineCpus">How many CPUs the machine has.</param>
public sealed record HostSideSample(IReadOnlyDictionary<string, long> Gateways, long MachineBusy, int MachineCpus)
{
    /// <summary>
    /// What else this machine did between two samples, in per cent of one core: its busy time less the gateways'. On a
    /// shared machine that is the noise: a gateway competing for its CPU measures the neighbour as much as itself.
    /// </summary>
    public static double OtherLoadPercent(HostSideSample before, HostSideSample after, double seconds, int ticksPerSecond = 100)
    {
        var gateways = after.Gateways.Sum(kv => kv.Value - before.Gateways.GetValueOrDefault(kv.Key));
        var other = after.MachineBusy - before.MachineBusy - gateways;
        return seconds <= 0 ? double.NaN : Math.Max(0, 100.0 * other / ticksPerSecond / seconds);
    }
}
