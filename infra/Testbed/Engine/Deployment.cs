using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Testbed.Config;
using Testbed.Diagnostics;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Engine;

/// <summary>
/// An open stack: its checked configuration, its lock, its state, its provider and its hosts. Every verb (and the
/// verification suite) goes through here: reach the hosts, declare the resources, read them live, plan, apply.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    public Project Project { get; }
    public TestbedSpec Spec { get; }
    public StackPaths Paths { get; }
    public StackState State { get; }
    public StateStore Store { get; }
    public IHostProvider Provider { get; }
    public IReporter Reporter { get; }

    /// <summary>Keys the tool makes itself: for <c>keys: generate</c>, and for suites the stack file holds no keys for.</summary>
    public GeneratedKeys GeneratedKeys { get; }

    readonly StackLock? _lock;
    readonly bool _exclusive;
    readonly Dictionary<string, IHostShell> _shells = [];
    Topology? _topology;

    Deployment(Project project, TestbedSpec spec, StackPaths paths, StackLock? stackLock, IReporter reporter)
    {
        (Project, Spec, Paths, _lock, Reporter) = (project, spec, paths, stackLock, reporter);
        _exclusive = stackLock is not null;
        Store = new StateStore(paths);
        State = Store.Load(project.Name, spec.Stack);
        GeneratedKeys = new GeneratedKeys(paths.Keys, paths.DataKey);
        // A run that only looks (preview, status, ssh) keeps the provider's record in memory: it changes nothing.
        IProviderState record = _exclusive ? new StateProviderRecord(Store, State, spec.Provider) : new MemoryView(State, spec.Provider);
        Provider = ProviderCatalog.Create(spec.Provider, new ProviderContext(project.Name, spec.Stack, paths.Provider(spec.Provider),
            paths.KnownHosts, record, reporter.Progress));
    }

    /// <summary>
    /// Checks the stack (throwing <see cref="ConfigException"/> before anything is touched) and, for a run that may
    /// change it (<paramref name="exclusive"/>), takes its lock. Read-only verbs (preview, status, ssh) need none,
    /// and write nothing: not the state, not a key, not a host key pin.
    /// </summary>
    public static Deployment Open(Project project, string stack, string operation, IReporter reporter,
        Func<string, string?>? env = null, bool exclusive = true)
    {
        var spec = StackLoader.Load(project, stack, env);
        var paths = StackPaths.For(project.Name, stack);
        var stackLock = exclusive ? StackLock.Acquire(paths, stack, operation) : null;
        try
        {
            var d = new Deployment(project, spec, paths, stackLock, reporter);
            var problems = d.Provider.Validate(spec).ToList();
            if (problems.Count > 0) throw new ConfigException(problems);
            return d;
        }
        catch
        {
            stackLock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where a spec's SA keys come from. The stack file's keys (<c>keys: stack</c>) belong to the suite it declares; a
    /// spec of another suite (a bench cell, a verification case) gets generated keys of the right sizes for its own.
    /// </summary>
    public IKeyring KeysFor(TestbedSpec spec) =>
        spec.Ipsec.Keys == KeySource.Stack && spec.Ipsec.Protection.Name == Spec.Ipsec.Protection.Name
            ? new StackKeyring(spec.Ipsec.StackKeys)
            : GeneratedKeys;

    public Topology Topology => _topology ?? throw new InvalidOperationException("hosts not reached yet");

    /// <summary>The shell of a host of the stack (a gateway, or <c>wire</c> on the local testbed).</summary>
    public IHostShell Shell(string host) =>
        _shells.TryGetValue(host, out var s) ? s : throw new ConfigException(new ConfigError(Spec.InventoryFile, "hosts",
            $"no running host '{host}' in this stack (hosts: {string.Join(", ", Spec.Gateways.Select(g => g.Name))})"));

    public GatewayHost Gateway(string name) => Topology.Gateways.Single(g => g.Name == name);

    /// <summary>
    /// Makes the hosts reachable (<paramref name="bringUp"/>: boot what is not running, as <paramref name="spec"/> asks:
    /// on the local testbed a guest whose boot MTU differs from it reboots) and connects to every running one. An
    /// unreachable host is an error that names the inventory entry; nothing has been applied yet.
    /// </summary>
    public async Task<Topology> ReachAsync(bool bringUp, CancellationToken ct, TestbedSpec? spec = null)
    {
        spec ??= Spec;
        Trace.Mark("reach: provider");
        _topology = bringUp ? await Provider.EnsureAsync(spec, ct) : await Provider.CurrentAsync(spec, ct);
        Trace.Mark("reach: connect");
        // Only a run that may change the stack pins a host key it sees for the first time.
        var pins = new HostKeyPins(Paths.KnownHosts, readOnly: !_exclusive);
        // A host that came back on another endpoint (a restarted forward) gets a new connection.
        foreach (var gw in _topology.Gateways.Where(g => _shells.TryGetValue(g.Name, out var s) && s is SshHostShell ssh && ssh.Endpoint != g.Ssh?.ToString()))
        {
            await _shells[gw.Name].DisposeAsync();
            _shells.Remove(gw.Name);
        }
        foreach (var gw in _topology.Gateways.Where(g => !_topology.Down.Contains(g.Name) && !_shells.ContainsKey(g.Name)))
            _shells[gw.Name] = new SshHostShell(gw.Name, gw.Ssh!, pins, SshOptions.Default);
        foreach (var (name, shell) in _topology.ExtraShells)
            _shells.TryAdd(name, shell);

        var failures = new List<ConfigError>();
        await Task.WhenAll(_shells.Values.Select(async shell =>
        {
            try
            {
                await shell.ConnectAsync(ct);
            }
            catch (TransportException e)
            {
                lock (failures) failures.Add(new ConfigError(Spec.InventoryFile, $"hosts.{shell.Name}.ssh", e.Message));
            }
        }));
        if (failures.Count > 0) throw new ConfigException(failures);
        Trace.Mark("reach: connected");
        return _topology;
    }

    /// <summary>The resources a spec declares on the reached hosts.</summary>
    public IReadOnlyList<Resource> Declare(TestbedSpec spec) =>
        GatewayTestbed.Declare(spec.WithHosts(Topology.Gateways), KeysFor(spec), Topology.Wire);

    /// <summary>Reads the declared resources, and those the state has but the spec no longer declares, on every running host.</summary>
    public async Task<(Plan Plan, IReadOnlyDictionary<string, HostReading> Readings)> PlanAsync(TestbedSpec spec, CancellationToken ct)
    {
        var desired = Declare(spec);
        var declared = desired.Select(r => r.Id).ToList();
        var readings = await ReadAsync([.. declared, .. State.Orphans(declared).Select(r => r.Rehydrate())], ct);
        Trace.Mark("plan: read");
        return (Planner.Plan(desired, State, ByUrn(readings)) with { NewKeys = GeneratedKeys.Pending }, readings);
    }

    static Dictionary<string, Reading> ByUrn(IReadOnlyDictionary<string, HostReading> readings) =>
        readings.Values.SelectMany(h => h.Readings).ToDictionary(kv => kv.Key, kv => kv.Value);

    public async Task<IReadOnlyDictionary<string, HostReading>> ReadAsync(IReadOnlyList<ResourceId> resources, CancellationToken ct)
    {
        var hosts = resources.GroupBy(r => r.Host).Where(g => _shells.ContainsKey(g.Key)).ToList();
        var readings = await Task.WhenAll(hosts.Select(g => LiveReader.ReadAsync(_shells[g.Key], g.ToList(), ct)));
        return readings.ToDictionary(r => r.Host);
    }

    /// <summary>
    /// <c>up</c>: brings the hosts up, plans <paramref name="spec"/> (the stack's own unless given) and applies what
    /// differs. A plan with errors (a conflict, a knob a NIC lacks) or hosts that cannot carry the spec apply nothing.
    /// </summary>
    public async Task<(Plan Plan, ApplyResult Result)> UpAsync(TestbedSpec? spec, CancellationToken ct)
    {
        spec ??= Spec;
        await ReachAsync(bringUp: true, ct, spec);
        var (plan, readings) = await PlanAsync(spec, ct);
        if (plan.Errors.Count > 0) throw new PlanException(plan.Errors);
        if (plan.HasChanges)
        {
            var problems = await Provider.PreflightAsync(spec, Shell, ct);
            if (problems.Count > 0)
                throw new ConfigException(problems.Select(p => new ConfigError(Spec.InventoryFile, "hosts", p)).ToList());
        }
        // Keys made for this plan are written before the first command that installs one is sent.
        GeneratedKeys.Save();
        var result = await new Applier(Store, State, Reporter).ApplyAsync(plan, _shells, ct);
        Trace.Mark("up: applied");
        Store.Update(State, s =>
        {
            s.LastUp = DateTimeOffset.UtcNow;
            foreach (var gw in Topology.Gateways)
                s.Hosts[gw.Name] = new HostRecord { Endpoint = gw.Ssh?.ToString(), BootId = readings.GetValueOrDefault(gw.Name)?.BootId };
        });
        return (plan, result);
    }

    /// <summary>
    /// <c>destroy</c>: puts every setting back as found (skipped where the provider removes the hosts themselves),
    /// then lets the provider take its hosts away. The stack's folder goes last, and only if nothing failed.
    /// </summary>
    public async Task<ApplyResult> DestroyAsync(CancellationToken ct)
    {
        ApplyResult result = new([]);
        if (!Provider.Traits.BootsHosts && State.Resources.Count > 0)
        {
            await ReachAsync(bringUp: false, ct);
            var readings = await ReadAsync(State.Resources.Select(r => r.Rehydrate()).ToList(), ct);
            var plan = Planner.Plan([], State, ByUrn(readings));
            result = await new Applier(Store, State, Reporter).ApplyAsync(plan, _shells, ct);
            // Anything still recorded could not be put back (a host away): keep the state, and say so.
            if (result.Failed || State.Resources.Count > 0) return result;
        }
        await DisconnectAsync();
        await Provider.DestroyAsync(Spec, ct);
        Store.Update(State, s => { s.Resources.Clear(); s.Hosts.Clear(); });
        return result;
    }

    /// <summary>
    /// Whether the stack's hosts are up now (the provider's hosts running, and for hosts the tool does not boot,
    /// settings applied) and the MTU they run (where the NIC fixes it at boot, that one; else what the stack declares):
    /// how a run finds the stack, so it can leave it that way.
    /// </summary>
    public (bool Up, int Mtu) RunningNow()
    {
        var now = Provider.Now(Spec);
        var up = now.Running && (Provider.Traits.BootsHosts || State.Resources.Count > 0);
        return (up, now.BootMtu ?? Spec.Mtu);
    }

    /// <summary>The largest MTU both gateways take (reaching them first where only they can say).</summary>
    public async Task<int> MaxMtuAsync(CancellationToken ct)
    {
        if (Provider.Traits.FixedMaxMtu is { } fixedMax) return fixedMax;
        if (_topology is null) await ReachAsync(bringUp: false, ct);
        return await Provider.MaxMtuAsync(Spec, Shell, ct);
    }

    /// <summary>
    /// Ends a run that changed the stack: puts it back as its file declares, or, when the run brought it up
    /// (<paramref name="destroy"/>), destroys it with nothing left behind (guests, namespace, forwards, state). A failure
    /// names the verb that finishes the job by hand.
    /// </summary>
    public async Task PutBackAsync(bool destroy, CancellationToken ct)
    {
        if (!destroy)
        {
            var (_, result) = await UpAsync(null, ct);
            if (result.Failed) throw new InvalidOperationException($"putting stack {Spec.Stack} back failed; run: testbed up --stack {Spec.Stack}");
            return;
        }
        var destroyed = await DestroyAsync(ct);
        if (destroyed.Failed) throw new InvalidOperationException($"destroying stack {Spec.Stack} failed; run: testbed destroy --stack {Spec.Stack}");
        Forget();
    }

    /// <summary>Removes the stack's folder (state, keys, pins). Called by destroy once everything else is gone.</summary>
    public void Forget()
    {
        _lock?.Dispose();
        if (Directory.Exists(Paths.Dir)) Directory.Delete(Paths.Dir, recursive: true);
    }

    async Task DisconnectAsync()
    {
        foreach (var shell in _shells.Values) await shell.DisposeAsync();
        _shells.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        _lock?.Dispose();
    }

    /// <summary>The provider's record as the state file holds it, for a run that only looks: changes stay in memory.</summary>
    sealed class MemoryView(StackState state, string kind) : IProviderState
    {
        readonly MemoryProviderState _changes = new();
        bool _changed;

        public T? Load<T>(JsonTypeInfo<T> type) where T : class =>
            _changed ? _changes.Load(type) : state.Provider is { Data: { } data } p && p.Kind == kind ? data.Deserialize(type) : null;

        public void Save<T>(T? value, JsonTypeInfo<T> type) where T : class
        {
            _changed = true;
            _changes.Save(value, type);
        }
    }
}

/// <summary>The plan found problems that make applying unsafe; nothing was applied.</summary>
public sealed class PlanException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
