using System.Globalization;
using System.Text.RegularExpressions;
using Testbed.Model;
using Testbed.Transport;

[assembly: Testbed.Providers.HostProvider("ssh", typeof(Testbed.Providers.Ssh.SshInventoryProvider))]

namespace Testbed.Providers.Ssh;

/// <summary>Hosts that exist already (lab machines), reached over SSH as the inventory says.</summary>
public sealed partial class SshInventoryProvider(ProviderContext context) : IHostProvider
{
    public string Kind => "ssh";

    public ProviderTraits Traits { get; } = new(
        BootsHosts: false,
        Description: "ssh: lab hosts from the inventory",
        FixedMaxMtu: null,
        MtuChangeReboots: false,
        DedicatedHardware: true,
        NetperfIntervalNarrows: true,
        // Lab hosts change their MTU in place; estimates from a 1 Gbit/s lab of two x86 servers.
        Overheads: new CellOverheads(PerCell: 1.0, PerIteration: 0.2, SuiteChange: 2.0, GroupChange: 2.5, MtuChange: 4, BringUp: 10));

    public ProviderContext Context => context;

    public IEnumerable<ConfigError> Validate(TestbedSpec spec) => [];

    public IReadOnlyList<string> PendingWork(TestbedSpec spec) => [];

    public Task<Topology> EnsureAsync(TestbedSpec spec, CancellationToken ct) => CurrentAsync(spec, ct);

    public Task<Topology> CurrentAsync(TestbedSpec spec, CancellationToken ct) =>
        Task.FromResult(new Topology(spec.Gateways, spec.Gateways.Select(g => new WireEnd(g.Name, g.Nic)).ToList(),
            new Dictionary<string, IHostShell>(), []));

    public HostsNow Now(TestbedSpec spec) => new(Running: true, BootMtu: null);

    public async Task<IReadOnlyList<string>> PreflightAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct)
    {
        var problems = new List<string>();
        await Task.WhenAll(spec.Gateways.Select(async g =>
        {
            var max = await ReadMaxMtuAsync(g, shell(g.Name), ct);
            if (max is { } m && m < spec.Mtu)
                lock (problems) problems.Add($"{g.Name}: {g.Nic} takes an MTU of at most {m} (ip -d link show: maxmtu), the stack asks for {spec.Mtu}");
        }));
        return problems;
    }

    public async Task<int> MaxMtuAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct)
    {
        var values = await Task.WhenAll(spec.Gateways.Select(async g =>
            await ReadMaxMtuAsync(g, shell(g.Name), ct)
            ?? throw new ProviderException($"{g.Name}: ip -d link show {g.Nic} names no maxmtu")));
        return values.Min();
    }

    /// <summary>A lab NIC says how large an MTU it takes in <c>ip -d link show</c> (<c>maxmtu N</c>); null when it does not say.</summary>
    static async Task<int?> ReadMaxMtuAsync(GatewayHost g, IHostShell shell, CancellationToken ct)
    {
        var r = await shell.RunAsync(new RemoteCommand($"ip -d link show dev {Sh.Quote(g.Nic)}"), "read maxmtu", TimeSpan.FromSeconds(30), ct);
        return ParseMaxMtu(r.Stdout);
    }

    public static int? ParseMaxMtu(string ipLinkDetails) =>
        MaxMtuPattern().Match(ipLinkDetails) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"\bmaxmtu (\d+)")]
    private static partial Regex MaxMtuPattern();

    public IHostSideCpu? HostSideCpu(TestbedSpec spec) => null;

    public Task<WireRepair?> RepairWireAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct) =>
        Task.FromResult<WireRepair?>(null);

    public string LoginHint(GatewayHost gateway, string? pinnedFingerprint) =>
        $"ssh -i {gateway.Ssh!.KeyFile} -p {gateway.Ssh.Port} {gateway.Ssh.User}@{gateway.Ssh.Host}   # host key SHA256:{pinnedFingerprint ?? "(not pinned yet)"}";

    public Task DestroyAsync(TestbedSpec spec, CancellationToken ct) => Task.CompletedTask;
}
