namespace Verification.Faults;

/// <summary>What the fault tests must never leave on this machine, found from the outside (processes, /run/netns, ~/.ipsec-testbed).</summary>
public static class Leftovers
{
    /// <summary>Guest processes, forwards, namespaces and state folders of the faults-* stacks that still exist.</summary>
    public static IReadOnlyList<string> Find()
    {
        const string prefix = StateCheck.ProjectName + "-faults-";
        var left = new List<string>();
        foreach (var p in Testbed.Machine.Processes.All())
            if (p.Argv.Any(a => a.StartsWith("umid=" + prefix, StringComparison.Ordinal) || a.Contains("/run/ipsec-testbed/" + prefix)))
                left.Add($"process {p.Pid} ({string.Join(' ', p.Argv.Take(2))})");
        if (Directory.Exists("/run/netns"))
            left.AddRange(Directory.GetFiles("/run/netns", prefix + "*").Select(n => $"network namespace {Path.GetFileName(n)}"));
        left.AddRange(Stacks.All.Select(s => StateCheck.PathsOf(s).Dir).Where(Directory.Exists).Select(d => $"state folder {d}"));
        return left;
    }
}
