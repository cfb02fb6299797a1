using Testbed.Machine;
using Testbed.Model;
using Testbed.Providers;

namespace Testbed.Local;

/// <summary>The local testbed's gateways seen from this machine: every process of each UML guest, found by its umid.</summary>
public sealed class UmlGuestCpu(IReadOnlyDictionary<string, string> umidByGateway) : IHostSideCpu
{
    /// <summary>The guests of a local stack, as the local testbed lays them out.</summary>
    public static UmlGuestCpu For(TestbedSpec spec) =>
        new(LocalTestbed.Layout(spec).ToDictionary(g => g.Host, g => g.Umid));

    public HostSideSample Sample()
    {
        var all = Processes.All();
        var gateways = umidByGateway.ToDictionary(kv => kv.Key, kv => ProcessCpu.Ticks(Guests.ProcessesOf(kv.Value, all).Select(p => p.Pid)));
        var (busy, cpus) = MachineCpu.Busy();
        return new HostSideSample(gateways, busy, cpus);
    }
}
