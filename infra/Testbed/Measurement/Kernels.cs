namespace Testbed.Measurement;

/// <summary>
/// The kernels a run's figures depend on: each gateway's, and this machine's when the gateways are its guests (the
/// local testbed). A baseline keeps those it was recorded on. On other kernels the same declaration measures
/// differently by itself: a host kernel update made AH and plain IP some 80 % costlier per Mbit/s on the local guests
/// with nothing declared changed (docs/thresholds.md), and a failure against the recording should say so.
/// </summary>
/// <param name="Machine">This machine's kernel (<c>uname -r</c>); null when the gateways are hosts of their own.</param>
/// <param name="Gateways">Each gateway's kernel.</param>
public sealed record Kernels(string? Machine, IReadOnlyList<HostKernel> Gateways)
{
    public static Kernels Of(RunInfo info, bool gatewaysAreGuests) =>
        new(gatewaysAreGuests ? info.MachineKernel : null, info.Gateways.Select(g => new HostKernel(g.Host, g.Kernel)).ToList());

    /// <summary>What runs on other kernels than <paramref name="recorded"/>, one phrase each; empty when nothing does.</summary>
    public IReadOnlyList<string> Differences(Kernels recorded)
    {
        var d = new List<string>();
        if (Machine is { } m && recorded.Machine is { } rm && m != rm) d.Add($"this machine runs Linux {m} (recorded: {rm})");
        foreach (var g in Gateways)
            if (recorded.Gateways.FirstOrDefault(r => r.Host == g.Host) is { } r && r.Kernel != g.Kernel)
                d.Add($"{g.Host} runs Linux {g.Kernel} (recorded: {r.Kernel})");
        return d;
    }

    /// <summary>
    /// Why these kernels are not the baseline's: the differences from its newest recording, when none of its recordings
    /// ran on these. Null when one did, or when the baseline does not say (recorded before it kept its kernels).
    /// </summary>
    public string? ChangeFrom(IReadOnlyList<Kernels>? recorded)
    {
        if (recorded is not { Count: > 0 } || recorded.Any(r => Differences(r).Count == 0)) return null;
        return $"the kernels differ from the baseline's: {string.Join("; ", Differences(recorded[^1]))}. A kernel moves these " +
               "figures by itself: if that update is what changed, this is its cost; if it is meant to stay, record the baseline afresh";
    }

    /// <summary>The recordings' kernels with these among them (once).</summary>
    public IReadOnlyList<Kernels> JoinedTo(IReadOnlyList<Kernels> recorded) => recorded.Any(Same) ? recorded : [.. recorded, this];

    bool Same(Kernels other) =>
        Machine == other.Machine && Gateways.OrderBy(g => g.Host, StringComparer.Ordinal).SequenceEqual(other.Gateways.OrderBy(g => g.Host, StringComparer.Ordinal));
}

public sealed record HostKernel(string Host, string Kernel);
