using Testbed.Local;
using Testbed.Model;

namespace Testbed.Measurement;

/// <summary>
/// Reads the gateways' CPU from outside them, where that is possible: a local gateway is a set of processes of
/// this machine. Lab gateways have no outside view; their /proc/stat is the real thing.
/// </summary>
public interface IHostSideCpu
{
    /// <summary>CPU ticks (1/<see cref="ProcessCpu.TicksPerSecond"/> s) charged so far to each gateway, by gateway name.</summary>
    IReadOnlyDictionary<string, long> Sample();
}

/// <summary>The local testbed's gateways: every process of each UML guest, found by its umid.</summary>
public sealed class UmlGuestCpu(IReadOnlyDictionary<string, string> umidByGateway) : IHostSideCpu
{
    /// <summary>The guests of a local stack, as the local testbed lays them out.</summary>
    public static UmlGuestCpu For(TestbedSpec spec) =>
        new(LocalTestbed.Layout(spec).ToDictionary(g => g.Host, g => g.Umid));

    public IReadOnlyDictionary<string, long> Sample() =>
        umidByGateway.ToDictionary(kv => kv.Key, kv => ProcessCpu.Ticks(Processes.OfGuest(kv.Value).Select(p => p.Pid)));
}
