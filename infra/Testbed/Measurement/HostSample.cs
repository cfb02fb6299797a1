using System.Globalization;
using Testbed.Engine;

namespace Testbed.Measurement;

/// <summary>
/// What one gateway looks like at one instant: its CPU ticks, its uptime and its SAs' counters. Taken by one
/// script in the same round trip as whatever runs next to it, since every process a UML guest forks costs ~30 ms.
/// </summary>
public sealed record HostSample(CpuTimes Cpu, double UptimeSeconds, IReadOnlyList<SaCounter> Sas)
{
    /// <summary>
    /// Prints the sample under <paramref name="marker"/> lines named <c>{name}.stat</c>, <c>{name}.uptime</c> and, with
    /// <paramref name="sas"/>, <c>{name}.xfrm</c>. /proc/stat and /proc/uptime are read with shell builtins, so only the
    /// xfrm read forks (ip and grep: some 120 ms on a UML guest, which is why a sample may go without it).
    /// </summary>
    public static string Script(string marker, string name, bool sas = true) =>
        LiveReader.Section(marker, $"{name}.stat", "while read -r l; do case $l in cpu*) echo \"$l\";; *) break;; esac; done < /proc/stat") +
        LiveReader.Section(marker, $"{name}.uptime", "read -r u _ < /proc/uptime && echo \"$u\"") +
        (sas ? LiveReader.Section(marker, $"{name}.xfrm", SaCounter.Script) : "");

    /// <summary>
    /// Reads a sample from the sections <see cref="Script"/> printed (split with <see cref="LiveReader.Split"/>); without
    /// <paramref name="sas"/> it has no SA counters.
    /// </summary>
    public static HostSample From(IReadOnlyDictionary<string, string> sections, string name, bool sas = true)
    {
        string Section(string part) => sections.TryGetValue($"{name}.{part}", out var s)
            ? s
            : throw new FormatException($"the host printed no {name}.{part} section");
        var cpu = CpuTimes.Parse(Section("stat"));
        var uptimeText = Section("uptime").Trim();
        if (!double.TryParse(uptimeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var uptime))
            throw new FormatException($"/proc/uptime read '{uptimeText}'");
        return new HostSample(cpu, uptime, sas ? SaCounter.Parse(Section("xfrm")) : []);
    }
}
