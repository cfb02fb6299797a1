using System.Globalization;

namespace Testbed.Machine;

/// <summary>
/// CPU time of processes on this machine from /proc/&lt;pid&gt;/stat. A process counts its own time (utime, stime)
/// and that of children it has reaped (cutime, cstime), so the sum over a process tree only grows, even when
/// children come and go between two samples (each process a UML guest runs is a child of the guest kernel).
/// </summary>
public static class ProcessCpu
{
    /// <summary>USER_HZ: the unit of /proc/&lt;pid&gt;/stat times, 100 on every Linux architecture this runs on.</summary>
    public const int TicksPerSecond = 100;

    /// <summary>utime+stime+cutime+cstime of one /proc/&lt;pid&gt;/stat line.</summary>
    public static long Ticks(string statLine)
    {
        // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
        var close = statLine.LastIndexOf(')');
        if (close < 0) throw new FormatException($"not a /proc/<pid>/stat line: '{statLine}'");
        var rest = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // rest[0] is field 3 (state); utime..cstime are fields 14..17.
        if (rest.Length < 15) throw new FormatException($"/proc/<pid>/stat line too short: '{statLine}'");
        return rest[11..15].Sum(w => long.Parse(w, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>The summed ticks of the given processes; one that has exited meanwhile counts as nothing.</summary>
    public static long Ticks(IEnumerable<int> pids)
    {
        long sum = 0;
        foreach (var pid in pids)
        {
            try
            {
                sum += Ticks(File.ReadAllText($"/proc/{pid}/stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return sum;
    }
}
