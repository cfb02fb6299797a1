using System.Text.RegularExpressions;

namespace Verification.Support;

/// <summary>
/// Everything the lab stack could touch on a guest, read through <c>testbed ssh</c> of the stack that booted it:
/// every sysctl, IPsec state and policies, addresses, routes, links, the data NIC's coalescing and offloads, qdiscs.
/// Two snapshots of a host the tool did not create must be identical before the lab's first up and after its destroy.
/// </summary>
public sealed partial record GuestSnapshot(string Host, IReadOnlyDictionary<string, IReadOnlyList<string>> Sections)
{
    public const string Script =
        "sysctl -a 2>/dev/null; echo @@xfrm-state; ip xfrm state; echo @@xfrm-policy; ip xfrm policy; " +
        "echo @@addr; ip -o addr; echo @@route; ip route; echo @@link; ip -o link; " +
        "echo @@coalesce; ethtool -c vec0; echo @@offload; ethtool -k vec0; echo @@qdisc; tc qdisc";

    /// <summary>
    /// Sysctls that differ without anyone setting them: counters and random ids, and values the kernel derives from
    /// its memory at boot (a UML guest places its memory differently at each boot; measured: file-max, tcp_mem, ...
    /// move by a few per cent from one boot to the next). None of them is managed by the lab stack; see
    /// <see cref="VolatileSysctl"/>'s callers, which check that.
    /// </summary>
    static readonly string[] VolatileKeys =
    [
        "fs.dentry-state", "fs.inode-nr", "fs.inode-state", "fs.file-nr", "kernel.random.boot_id", "kernel.random.uuid",
        "kernel.random.entropy_avail", "fs.file-max", "fs.epoll.max_user_watches", "kernel.threads-max",
        "net.ipv4.inet_peer_threshold", "net.ipv4.tcp_ehash_entries", "net.ipv4.tcp_max_orphans", "net.ipv4.tcp_max_tw_buckets",
        "net.ipv4.tcp_mem", "net.ipv4.udp_mem", "vm.admin_reserve_kbytes", "vm.min_free_kbytes", "vm.user_reserve_kbytes",
    ];

    static readonly string[] VolatilePrefixes = ["user.max_"];

    public static bool VolatileSysctl(string key) => VolatileKeys.Contains(key) || VolatilePrefixes.Any(key.StartsWith);

    public static GuestSnapshot Parse(string host, string output)
    {
        var sections = new Dictionary<string, IReadOnlyList<string>>();
        var name = "sysctl";
        var lines = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                sections[name] = lines;
                (name, lines) = (line[2..], []);
                continue;
            }
            if (Normalize(name, line) is { } kept) lines.Add(kept);
        }
        sections[name] = lines;
        return new GuestSnapshot(host, sections);
    }

    /// <summary>A line as compared, or null for a line that says nothing about configuration.</summary>
    static string? Normalize(string section, string line)
    {
        if (line.Length == 0) return null;
        switch (section)
        {
            case "sysctl":
                var key = line.Split('=', 2)[0].Trim();
                return VolatileSysctl(key) ? null : line;
            case "xfrm-state" when line.TrimStart().StartsWith("anti-replay context"):
                return null;   // sequence counters move with every packet
            case "addr":
                // Duplicate address detection: a link-local address is "tentative" for a second or two after boot, and
                // a snapshot taken that early is not a different configuration (seen: the before snapshot 4 s after boot).
                return line.Replace(" tentative", "", StringComparison.Ordinal);
            case "link" when line.Contains(" dummy0:"):
                // The dummy module's own dummy0 gets a random MAC at every boot.
                return RandomMac().Replace(line, "link/ether (random)");
            default:
                return line;
        }
    }

    public int Lines => Sections.Values.Sum(s => s.Count);

    /// <summary>What differs, as "section: - before" / "section: + after" lines; empty when identical.</summary>
    public IReadOnlyList<string> Diff(GuestSnapshot after)
    {
        var diff = new List<string>();
        foreach (var name in Sections.Keys.Union(after.Sections.Keys))
        {
            var a = Sections.GetValueOrDefault(name) ?? [];
            var b = after.Sections.GetValueOrDefault(name) ?? [];
            diff.AddRange(a.Except(b).Select(l => $"{Host} {name}: - {l}"));
            diff.AddRange(b.Except(a).Select(l => $"{Host} {name}: + {l}"));
            if (a.Count != b.Count && a.Except(b).Concat(b.Except(a)).Any() is false)
                diff.Add($"{Host} {name}: {a.Count} lines before, {b.Count} after (a line repeated)");
        }
        return diff;
    }

    [GeneratedRegex("link/ether [0-9a-f:]{17}")]
    private static partial Regex RandomMac();
}
