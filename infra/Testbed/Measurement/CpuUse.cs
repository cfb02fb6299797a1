namespace Testbed.Measurement;

/// <summary>Where a CPU figure comes from; every report names it.</summary>
public static class CpuSources
{
    /// <summary>The gateway's own /proc/stat. On real hosts the whole story; inside a UML guest nearly all time reads as user.</summary>
    public const string GuestProcStat = "gateway /proc/stat";

    /// <summary>utime+stime of a UML guest's processes as this machine sees them: what the local gateways really cost.</summary>
    public const string HostUmlProcesses = "host: UML guest processes";
}

/// <summary>Shares of all CPU time over an interval, in per cent (they add up to 100), as the paper splits it.</summary>
public sealed record CpuShares(double User, double Nice, double System, double Irq, double Softirq, double Steal, double Iowait, double Idle)
{
    public static CpuShares Of(CpuTimes delta)
    {
        var total = (double)delta.Total;
        if (total <= 0) throw new ArgumentException("no CPU time passed between the two /proc/stat samples");
        double P(long ticks) => 100.0 * ticks / total;
        return new CpuShares(P(delta.User), P(delta.Nice), P(delta.System), P(delta.Irq), P(delta.Softirq), P(delta.Steal), P(delta.Iowait), P(delta.Idle));
    }
}

/// <summary>
/// What one gateway's CPU did over a measurement interval, from one source.
/// </summary>
/// <param name="CorePercent">Busy time in per cent of one core (100 = one core busy all the time; a 4-core host can reach 400).</param>
/// <param name="Shares">The user/system/irq/softirq/idle split; only /proc/stat has one.</param>
public sealed record CpuUse(string Source, double IntervalSeconds, double CorePercent, CpuShares? Shares)
{
    /// <summary>From two /proc/stat samples: busy is everything but idle and iowait.</summary>
    public static CpuUse FromProcStat(CpuTimes before, CpuTimes after, double intervalSeconds)
    {
        var d = after - before;
        var busy = d.Total - d.Idle - d.Iowait;
        return new CpuUse(CpuSources.GuestProcStat, intervalSeconds, 100.0 * busy / d.Total * after.Cpus, CpuShares.Of(d));
    }

    /// <summary>From CPU ticks charged to a set of processes over a wall-clock interval.</summary>
    public static CpuUse FromProcessTicks(long ticks, double intervalSeconds, int ticksPerSecond = Machine.ProcessCpu.TicksPerSecond) =>
        new(CpuSources.HostUmlProcesses, intervalSeconds, 100.0 * ticks / ticksPerSecond / intervalSeconds, null);
}
