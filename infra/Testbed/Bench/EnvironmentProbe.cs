using System.Globalization;
using System.Text.RegularExpressions;
using Testbed.Engine;
using Testbed.Local;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Bench;

/// <summary>Reads what a session runs on (this machine, the gateways) and the largest MTU the gateways' data NICs take.</summary>
public static partial class EnvironmentProbe
{
    public static async Task<BenchEnvironment> ReadAsync(Deployment d, CancellationToken ct)
    {
        var spec = d.Spec;
        var gateways = await Task.WhenAll(spec.Gateways.Select(g => RunInfo.ProbeAsync(d.Shell(g.Name), ct)));
        var local = spec.Provider == ProviderKind.Local;
        return new BenchEnvironment(spec.Stack, spec.ProviderName,
            local ? "local: two user-mode Linux guests on this machine, wire shaped by tc in a network namespace" : "ssh: lab hosts from the inventory",
            RunInfo.ToolVersion(), Environment.Version.ToString(), Environment.MachineName, RunInfo.ThisKernel(), RunInfo.ThisCpuModel(),
            Environment.ProcessorCount, gateways);
    }

    /// <summary>
    /// The largest MTU both gateways' data NICs take: the local guests' vector NIC boots up to
    /// <see cref="LocalTestbed.MaxMtu"/>; a lab NIC says so in <c>ip -d link show</c> (<c>maxmtu N</c>).
    /// </summary>
    public static async Task<int> MaxMtuAsync(Deployment d, CancellationToken ct)
    {
        if (d.Spec.Provider == ProviderKind.Local) return LocalTestbed.MaxMtu;
        var values = await Task.WhenAll(d.Spec.Gateways.Select(async g =>
        {
            var r = await d.Shell(g.Name).RunAsync(new RemoteCommand($"ip -d link show dev {Sh.Quote(g.Nic)}"), "read maxmtu", TimeSpan.FromSeconds(30), ct);
            return ParseMaxMtu(r.Stdout) ?? throw new MeasurementException($"{g.Name}: ip -d link show {g.Nic} names no maxmtu: {r.Stdout.Trim()}");
        }));
        return values.Min();
    }

    public static int? ParseMaxMtu(string ipLinkDetails) =>
        MaxMtuPattern().Match(ipLinkDetails) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"\bmaxmtu (\d+)")]
    private static partial Regex MaxMtuPattern();
}
