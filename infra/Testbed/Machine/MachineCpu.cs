using System.Globalization;

namespace Testbed.Machine;

/// <summary>This machine's own CPU time from /proc/stat: what its CPUs spent busy so far, and how many there are.</summary>
public static class MachineCpu
{
    /// <summary>user + nice + system + irq + softirq of the aggregate <c>cpu</c> line, in ticks; and the CPU count.</summary>
    public static (long Busy, int Cpus) Busy()
    {
        long busy = 0;
        var cpus = 0;
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal)) break;
            if (!line.StartsWith("cpu ", StringComparison.Ordinal)) { cpus++; continue; }
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long N(int i) => long.Parse(f[i], NumberStyles.None, CultureInfo.InvariantCulture);
            busy = N(1) + N(2) + N(3) + N(6) + N(7);
        }
        return (busy, Math.Max(cpus, 1));
    }
}
