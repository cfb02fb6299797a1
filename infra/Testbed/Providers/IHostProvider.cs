using Testbed.Model;
using Testbed.Transport;

namespace Testbed.Providers;

/// <summary>
/// Where hosts come from. The engine treats every host alike; a provider makes them reachable (the local testbed
/// boots guests), says what its hosts can and cannot do (<see cref="Traits"/>), and takes them away again. Everything
/// that differs between the embedded testbed and a lab is asked of the provider; nothing outside the providers names one.
/// </summary>
public interface IHostProvider
{
    /// <summary>The name the inventory gives it (<c>local</c>, <c>ssh</c>): the host kind that results record.</summary>
    string Kind { get; }

    ProviderTraits Traits { get; }

    /// <summary>Checks what only this provider knows (the local testbed's NIC name); touches nothing.</summary>
    IEnumerable<ConfigError> Validate(TestbedSpec spec);

    /// <summary>What <c>up</c> would do to make the hosts reachable, for a preview. Changes nothing.</summary>
    IReadOnlyList<string> PendingWork(TestbedSpec spec);

    /// <summary>Makes the hosts reachable for <c>up</c>, doing whatever work that takes (and reporting it).</summary>
    Task<Topology> EnsureAsync(TestbedSpec spec, CancellationToken ct);

    /// <summary>The hosts as they are now, without changing anything (preview, refresh, status).</summary>
    Task<Topology> CurrentAsync(TestbedSpec spec, CancellationToken ct);

    /// <summary>Whether the hosts run now and, where the MTU is fixed when they boot, which one.</summary>
    HostsNow Now(TestbedSpec spec);

    /// <summary>
    /// Checks on the reached hosts that they can carry <paramref name="spec"/> (an MTU their NIC takes, sudo for a
    /// non-root user), before anything is applied. The problems, each naming the host; none when all is well.
    /// </summary>
    Task<IReadOnlyList<string>> PreflightAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct);

    /// <summary>The largest MTU both gateways' data NICs take.</summary>
    Task<int> MaxMtuAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct);

    /// <summary>The gateways' CPU seen from outside them, where the provider has such a view; null otherwise.</summary>
    IHostSideCpu? HostSideCpu(TestbedSpec spec);

    /// <summary>
    /// Called when a measurement across the wire failed: whether the wire carries packets and, where this provider's
    /// hosts have a known fault that stops it and a remedy (the local guests' NIC latching an error), the remedy. What it
    /// found and did; null when the wire works or there was nothing it could do, so the failure stands as it is (a lab's
    /// wire is for its people to look at, never reset behind their back).
    /// </summary>
    Task<WireRepair?> RepairWireAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct);

    /// <summary>How to log in to a gateway with ssh(1) by hand.</summary>
    string LoginHint(GatewayHost gateway, string? pinnedFingerprint);

    /// <summary>Takes away what <see cref="EnsureAsync"/> made.</summary>
    Task DestroyAsync(TestbedSpec spec, CancellationToken ct);
}

/// <summary>
/// What a provider hands the engine: the gateways with their SSH endpoints, the ends of the wire a shaper may sit
/// on, any extra shells (the local testbed's namespace), and facts for <c>status</c>.
/// </summary>
public sealed record Topology(
    IReadOnlyList<GatewayHost> Gateways,
    IReadOnlyList<WireEnd> Wire,
    IReadOnlyDictionary<string, IHostShell> ExtraShells,
    IReadOnlyList<KeyValuePair<string, string>> Facts)
{
    /// <summary>Hosts that are not running (the local testbed before <c>up</c>): they cannot be read.</summary>
    public IReadOnlySet<string> Down { get; init; } = new HashSet<string>();

    /// <summary>
    /// Where the link is watched from for the wire checks: a host (the local testbed's namespace) and a device that sees
    /// the wire itself. Null: each gateway's outgoing frames on its own data NIC, as on a lab link.
    /// </summary>
    public WireEnd? Capture { get; init; }
}

/// <summary>What a provider did to a wire that carried nothing (<see cref="IHostProvider.RepairWireAsync"/>).</summary>
/// <param name="What">What it found and did, for the run's log.</param>
/// <param name="Cleared">The wire carries packets again.</param>
public sealed record WireRepair(string What, bool Cleared);

/// <param name="Running">The hosts run (lab machines always do; local guests only once booted).</param>
/// <param name="BootMtu">The MTU the hosts were booted with, where the NIC fixes it at boot; null elsewhere.</param>
public sealed record HostsNow(bool Running, int? BootMtu);
