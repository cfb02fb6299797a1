using Testbed.Diagnostics;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Engine;

/// <summary>What one read of a host found: its boot id and a reading per resource.</summary>
public sealed record HostReading(string Host, string? BootId, IReadOnlyDictionary<string, Reading> Readings);

/// <summary>
/// Reads every setting of a host in one round trip: the distinct read scripts run once each, in one shell,
/// separated by marker lines. Settings of a kind share a script, so a host costs a handful of processes. Reading
/// needs only identities, so settings known from the state file alone are read like declared ones.
/// Every other composed script (versions, SA checks, measurements) reports its parts the same way: <see cref="Section"/>s
/// under a <see cref="NewMarker"/>, closed by <see cref="End"/>, read back by <see cref="Split"/>.
/// </summary>
public static class LiveReader
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<HostReading> ReadAsync(IHostShell shell, IReadOnlyList<ResourceId> ids, CancellationToken ct)
    {
        var byScript = ids.GroupBy(id => id.ReadScript).ToList();
        var marker = NewMarker();
        var script = Compose([.. byScript.Select(g => g.Key)], marker);
        Trace.Script(shell.Name, "read", script);
        var result = await shell.RunAsync(new RemoteCommand(script), "read", Timeout, ct);
        var outputs = Split(result.Stdout, marker);
        var bootId = outputs.GetValueOrDefault("boot")?.Trim();
        var readings = new Dictionary<string, Reading>();
        for (var i = 0; i < byScript.Count; i++)
            foreach (var id in byScript[i])
                readings[id.Urn] = id.Parse(outputs.GetValueOrDefault(i.ToString()) ?? "");
        return new HostReading(shell.Name, string.IsNullOrEmpty(bootId) ? null : bootId, readings);
    }

    /// <summary>
    /// One script for all reads. Braces, not parentheses: a subshell would fork, and several reads are pure
    /// shell builtins that cost nothing without one.
    /// </summary>
    public static string Compose(IReadOnlyList<string> scripts, string marker)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("exec 2>/dev/null\n");
        sb.Append(Section(marker, "boot", Sh.ReadFirstLine("/proc/sys/kernel/random/boot_id", "")));
        for (var i = 0; i < scripts.Count; i++)
            sb.Append(Section(marker, i.ToString(), $"{{ {scripts[i]}\n}}"));
        sb.Append(End(marker));
        return sb.ToString();
    }

    /// <summary>
    /// A marker no output will hold by chance, fresh per script, so that a line a command prints cannot be
    /// taken for a section boundary (and a stale marker from another read is ignored).
    /// </summary>
    public static string NewMarker() => "@@tb-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Prints <paramref name="name"/>'s marker line, then runs <paramref name="script"/>: what <see cref="Split"/> reads back as one section.</summary>
    public static string Section(string marker, string name, string script) => $"echo {marker} {name}\n{script}\n";

    /// <summary>The last line of every composed script: without it <see cref="Split"/> takes the output as cut short.</summary>
    public static string End(string marker) => $"echo {marker} end\n";

    public static Dictionary<string, string> Split(string stdout, string marker)
    {
        var outputs = new Dictionary<string, string>();
        string? current = null;
        var buffer = new System.Text.StringBuilder();
        foreach (var line in stdout.Split('\n'))
        {
            if (line.StartsWith(marker + " ", StringComparison.Ordinal))
            {
                if (current is not null) outputs[current] = buffer.ToString();
                current = line[(marker.Length + 1)..].Trim();
                buffer.Clear();
                continue;
            }
            if (current is not null) buffer.Append(line).Append('\n');
        }
        if (current is not null && current != "end") outputs[current] = buffer.ToString();
        // A read that never reached its end marker was cut short; better to fail than to mistake it for "absent".
        if (current != "end") throw new IOException("the host's read output ended early");
        return outputs;
    }
}
