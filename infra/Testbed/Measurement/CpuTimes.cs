using System.Globalization;

namespace Testbed.Measurement;

/// <summary>
/// The aggregate <c>cpu</c> line of /proc/stat (ticks since boot, summed over all CPUs) and how many CPUs it
/// sums. Guest and guest_nice are left out: the kernel already counts them in user and nice.
/// </summary>
public sealed record CpuTimes(long User, long Nice, long System, long Idle, long Iowait, long Irq, long Softirq, long Steal, int Cpus)
{
    public long Total => User + Nice + System + Idle + Iowait + Irq + Softirq + Steal;

    /// <summary>Reads the <c>cpu</c> and <c>cpuN</c> lines of /proc/stat; other lines are ignored.</summary>
    public static CpuTimes Parse(string procStat)
    {
        CpuTimes? total = null;
        var cpus = 0;
        foreach (var line in procStat.Split('\n'))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !words[0].StartsWith("cpu", StringComparison.Ordinal)) continue;
            if (words[0] != "cpu")
            {
                cpus++;
                continue;
            }
            if (words.Length < 9) throw new FormatException($"/proc/stat's cpu line has {words.Length - 1} fields, expected at least 8: '{line.Trim()}'");
            var n = words[1..9].Select(w => long.Parse(w, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
            total = new CpuTimes(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], 0);
        }
        if (total is null) throw new FormatException("no cpu line in /proc/stat output");
        return total with { Cpus = Math.Max(cpus, 1) };
    }

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) => new(
        after.User - before.User, after.Nice - before.Nice, after.System - before.System, after.Idle - before.Idle,
        after.Iowait - before.Iowait, after.Irq - before.Irq, after.Softirq - before.Softirq, after.Steal - before.Steal,
        after.Cpus);
}
