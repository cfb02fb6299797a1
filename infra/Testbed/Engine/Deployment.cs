using Testbed.Config;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Secrets;
using Testbed.Transport;

namespace Testbed.Engine;

/// <summary>
/// An open stack: its checked configuration, its lock, its state and its hosts. Every verb (and the verification
/// suite) goes through here: reach the hosts, declare the resources, read them live, plan, apply.
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

    readonly StackLock? _lock;
    readonly Dictionary<string, IHostShell> _shells = [];
    Topology? _topology;
    IKeyring? _keyring;

    Deployment(Project project, TestbedSpec spec, StackPaths paths, StackLock? stackLock, IHostProvider provider, IReporter reporter)
    {
        (Project, Spec, Paths, _lock, Provider, Reporter) = (project, spec, paths, stackLock, provider, reporter);
        Store = new StateStore(paths);
        State = Store.Load(project.Name, spec.Stack);
    }

    /// <summary>
    /// Checks the stack (throwing <see cref="ConfigException"/> before anything is touched) and, for a run that may
    /// change it (<paramref name="exclusive"/>), takes its lock. Read-only verbs (preview, status, ssh) need none.
    /// </summary>
    public static Deployment Open(Project project, string stack, string operation, IReporter reporter,
        Func<string, string?>? env = null, bool exclusive = true)
    {
        var spec = StackLoader.Load(project, stack, env);
        var paths = StackPaths.For(project.Name, stack);
        IHostProvider provider = spec.Provider == ProviderKind.Local ? new Local.LocalTestbed(paths) : new SshInventoryProvider();
        var errors = new ErrorSink();
        provider.Validate(spec, errors);
        errors.ThrowIfAny();
        var stackLock = exclusive ? StackLock.Acquire(paths, stack, operation) : null;
        try
        {
            return new Deployment(project, spec, paths, stackLock, provider, reporter);
        }
        catch
        {
            stackLock?.Dispose();
            throw;
        }
    }

    public IKeyring Keyring => _keyring ??= Spec.Ipsec.Keys == KeySource.Generate
        ? new GeneratedKeyring(Paths.Keys, Paths.DataKey)
        : new StackKeyring(Spec.Ipsec.StackKeys);

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
        _topology = bringUp
            ? await Provider.EnsureAsync(spec, State, Store, Reporter, ct)
            : await Provider.CurrentAsync(spec, State, ct);
        Trace.Mark("reach: connect");
        var pins = new HostKeyPins(Paths.KnownHosts);
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
            catch (HostUnreachableException e)
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
        GatewayTestbed.Declare(spec.WithHosts(Topology.Gateways), Keyring, Topology.Wire);

    /// <summary>Reads the declared resources, and those the state has but the spec no longer declares, on every running host.</summary>
    public async Task<(Plan Plan, IReadOnlyDictionary<string, HostReading> Readings)> PlanAsync(TestbedSpec spec, CancellationToken ct)
    {
        var desired = Declare(spec);
        var declared = desired.Select(r => r.Id).ToList();
        var readings = await ReadAsync([.. declared, .. State.Orphans(declared).Select(r => r.Rehydrate())], ct);
        Trace.Mark("plan: read");
        return (Planner.Plan(desired, State, ByUrn(readings)), readings);
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
    /// differs. A plan with errors (a conflict, a knob a NIC lacks) applies nothing.
    /// </summary>
    public async Task<(Plan Plan, ApplyResult Result)> UpAsync(TestbedSpec? spec, CancellationToken ct)
    {
        spec ??= Spec;
        await ReachAsync(bringUp: true, ct, spec);
        var (plan, readings) = await PlanAsync(spec, ct);
        if (plan.Errors.Count > 0) throw new PlanException(plan.Errors);
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
        if (!Provider.HostsAreEphemeral && State.Resources.Count > 0)
        {
            await ReachAsync(bringUp: false, ct);
            var readings = await ReadAsync(State.Resources.Select(r => r.Rehydrate()).ToList(), ct);
            var plan = Planner.Plan([], State, ByUrn(readings));
            result = await new Applier(Store, State, Reporter).ApplyAsync(plan, _shells, ct);
            // Anything still recorded could not be put back (a host away): keep the state, and say so.
            if (result.Failed || State.Resources.Count > 0) return result;
        }
        await DisconnectAsync();
        await Provider.DestroyAsync(Spec, State, Store, Reporter, ct);
        Store.Update(State, s => { s.Resources.Clear(); s.Hosts.Clear(); });
        return result;
    }

    /// <summary>
    /// Whether the stack's hosts are up now (the local guests all running, or a lab stack with settings applied) and
    /// the MTU they run (the local guests' boot MTU, else what the stack declares): how a run finds the stack, so it
    /// can leave it that way. One <c>/proc</c> scan per local guest.
    /// </summary>
    public (bool Up, int Mtu) RunningNow()
    {
        if (Spec.Provider != ProviderKind.Local) return (State.Resources.Count > 0, Spec.Mtu);
        var args = Local.LocalTestbed.Layout(Spec).Select(Local.Guests.RunningArgs).ToList();
        var up = args.All(a => a is not null);
        return (up, up ? Local.Guests.BootMtu(args[0]) ?? Spec.Mtu : Spec.Mtu);
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
}

/// <summary>The plan found problems that make applying unsafe; nothing was applied.</summary>
public sealed class PlanException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
