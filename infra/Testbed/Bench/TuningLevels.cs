using Testbed.Model;

namespace Testbed.Bench;

/// <summary>
/// How far the gateways are tuned, section 5 of the paper one step at a time: <c>stock</c> (the hosts' own values),
/// <c>tcp</c> (+ the TCP options and 4 MiB socket buffers of section 5.1) and <c>tuned</c> (+ interrupt coalescing,
/// section 5.2: the stack files' <c>tuned</c> profile). The fourth step, a jumbo MTU (section 5.3), is the MTU of a cell.
/// </summary>
public static class TuningLevels
{
    public const string Stock = "stock";
    public const string Tcp = "tcp";
    public const string Tuned = "tuned";

    public static readonly IReadOnlyList<string> All = [Stock, Tcp, Tuned];

    public static bool IsValid(string name) => All.Contains(name);

    /// <summary>The kernel profile and NIC options of a level.</summary>
    public static (KernelTuning Kernel, NicOptions Nic) Settings(string tuning) => tuning switch
    {
        Stock => (Tuning.Stock, Tuning.StockNic),
        Tcp => (Tuning.Tuned, Tuning.StockNic),
        Tuned => (Tuning.Tuned, Tuning.TunedNic),
        _ => throw new ArgumentException($"'{tuning}' is not a tuning level ({string.Join(", ", All)})", nameof(tuning)),
    };

    /// <summary>Whether a stack's own settings are exactly one of the levels (its name, or null).</summary>
    public static string? Of(TestbedSpec spec) =>
        All.FirstOrDefault(t => Settings(t) is var (k, n) && Same(k, spec.Kernel) && Same(n, spec.Nic));

    static bool Same(KernelTuning a, KernelTuning b) => a.Sysctls.OrderBy(s => s.Key).SequenceEqual(b.Sysctls.OrderBy(s => s.Key));

    static bool Same(NicOptions a, NicOptions b) =>
        a.Coalesce.Select(c => (c.Param, c.Value)).Order().SequenceEqual(b.Coalesce.Select(c => (c.Param, c.Value)).Order()) &&
        a.Offload.OrderBy(o => o.Key).SequenceEqual(b.Offload.OrderBy(o => o.Key));
}

/// <summary>
/// One step of the tuning ablation as a (tuning level, MTU) pair: stock, +TCP buffers, +interrupt coalescing and
/// +jumbo MTU, each adding to the one before, as section 5 of the paper applies them.
/// </summary>
public sealed record AblationStep(string Name, string Label, string Tuning, bool Jumbo)
{
    public static readonly IReadOnlyList<AblationStep> All =
    [
        new("stock", "stock", Bench.TuningLevels.Stock, false),
        new("tcp", "+TCP buffers", Bench.TuningLevels.Tcp, false),
        new("coalescing", "+coalescing", Bench.TuningLevels.Tuned, false),
        new("jumbo", "+jumbo MTU", Bench.TuningLevels.Tuned, true),
    ];

    public static AblationStep? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
