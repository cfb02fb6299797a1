using Testbed.Engine;
using Testbed.Measurement;

namespace Testbed.Bench;

/// <summary>Reads what a session runs on: this machine, the gateways, and the kind of hosts they are.</summary>
public static class EnvironmentProbe
{
    public static async Task<BenchEnvironment> ReadAsync(Deployment d, CancellationToken ct)
    {
        var spec = d.Spec;
        var gateways = await Task.WhenAll(spec.Gateways.Select(g => RunInfo.ProbeAsync(d.Shell(g.Name), ct)));
        return new BenchEnvironment(spec.Stack, d.Provider.Kind, d.Provider.Traits.Description,
            RunInfo.ToolVersion(), Environment.Version.ToString(), Environment.MachineName, RunInfo.ThisKernel(), RunInfo.ThisCpuModel(),
            Environment.ProcessorCount, gateways);
    }
}
