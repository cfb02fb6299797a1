using Testbed.Config;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Transport;

namespace Testbed.Providers;

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
}

/// <summary>
/// Where hosts come from. The engine treats every host alike; a provider only makes them reachable (the local
/// testbed boots guests) and takes them away again.
/// </summary>
public interface IHostProvider
{
    /// <summary>Checks what only this provider knows (the local testbed's MTU range, its host names).</summary>
    void Validate(TestbedSpec spec, ErrorSink errors);

    /// <summary>What <c>up</c> would do to make the hosts reachable, for a preview. Changes nothing.</summary>
    IReadOnlyList<string> PendingWork(TestbedSpec spec, StackState state);

    /// <summary>Makes the hosts reachable for <c>up</c>, doing whatever work that takes (and reporting it).</summary>
    Task<Topology> EnsureAsync(TestbedSpec spec, StackState state, StateStore store, IReporter reporter, CancellationToken ct);

    /// <summary>The hosts as they are now, without changing anything (preview, refresh, status).</summary>
    Task<Topology> CurrentAsync(TestbedSpec spec, StackState state, CancellationToken ct);

    /// <summary>True when destroy removes the hosts themselves, so settings inside them need no restoring.</summary>
    bool HostsAreEphemeral { get; }

    /// <summary>Takes away what <see cref="EnsureAsync"/> made.</summary>
    Task DestroyAsync(TestbedSpec spec, StackState state, StateStore store, IReporter reporter, CancellationToken ct);
}

/// <summary>Hosts that exist already (lab machines), reached over SSH as the inventory says.</summary>
public sealed class SshInventoryProvider : IHostProvider
{
    public void Validate(TestbedSpec spec, ErrorSink errors) { }

    public IReadOnlyList<string> PendingWork(TestbedSpec spec, StackState state) => [];

    public Task<Topology> EnsureAsync(TestbedSpec spec, StackState state, StateStore store, IReporter reporter, CancellationToken ct) =>
        CurrentAsync(spec, state, ct);

    public Task<Topology> CurrentAsync(TestbedSpec spec, StackState state, CancellationToken ct) =>
        Task.FromResult(new Topology(spec.Gateways, spec.Gateways.Select(g => new WireEnd(g.Name, g.Nic)).ToList(),
            new Dictionary<string, IHostShell>(), []));

    public bool HostsAreEphemeral => false;

    public Task DestroyAsync(TestbedSpec spec, StackState state, StateStore store, IReporter reporter, CancellationToken ct) => Task.CompletedTask;
}
