using Testbed.Diagnostics;
using Testbed.Machine;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Transport;

[assembly: Testbed.Providers.HostProvider("local", typeof(Testbed.Local.LocalTestbed), makesEndpoints: true)]

namespace Testbed.Local;

/// <summary>
/// The embedded default: two user-mode Linux gateways on this machine, joined by a veth wire inside a network
/// namespace the tool owns, each reached over SSH through a forward on 127.0.0.1. To the engine they are hosts
/// like any other: an SSH endpoint and a key.
/// </summary>
public sealed class LocalTestbed(ProviderContext context) : IHostProvider
{
    public const string DataNic = "vec0";
    /// <summary>Measured: the vector NIC boots with mtu=65500 and silently falls back to 1500 at 65535.</summary>
    public const int MaxMtu = 65500;
    public const string WireHost = "wire";

    public string Kind => "local";

    public ProviderTraits Traits { get; } = new(
        BootsHosts: true,
        Description: "local: two user-mode Linux guests on this machine, wire shaped by tc in a network namespace",
        FixedMaxMtu: MaxMtu,
        MtuChangeReboots: true,
        DedicatedHardware: false,
        NetperfIntervalNarrows: false,
        Overheads: MeasuredOverheads);

    /// <summary>Measured on a shared 2-core machine (2026-11-26, load average 4-7): an MTU change reboots both guests.</summary>
    public static readonly CellOverheads MeasuredOverheads =
        new(PerCell: 1.5, PerIteration: 0.35, SuiteChange: 4, GroupChange: 2, MtuChange: 15, BringUp: 20);

    string Folder => context.Folder;
    string ClientKey => Path.Combine(Folder, "id_ecdsa");

    /// <summary>The guests' host keys in OpenSSH's known_hosts format, for logging in with ssh(1) by hand.</summary>
    string OpenSshKnownHosts => Path.Combine(Folder, "known_hosts");
    string HostKey(string host) => Path.Combine(Folder, $"{host}.host_key");
    string Seed(string host) => Path.Combine(Folder, $"{host}.seed.tar");
    public string Console(string host) => Path.Combine(Folder, $"{host}.console.log");

    /// <summary>What this provider made, as the stack's state keeps it.</summary>
    LocalState? State => context.State.Load(LocalState.Json);

    static string Namespace(TestbedSpec spec) => $"{spec.Project}-{spec.Stack}";
    static string RuntimeDir(TestbedSpec spec) => Path.Combine("/run/ipsec-testbed", $"{spec.Project}-{spec.Stack}");

    public static IReadOnlyList<GuestLayout> Layout(TestbedSpec spec) =>
        spec.Gateways.OrderBy(g => g.Role).Select((g, i) => GuestLayout.For(spec.Project, spec.Stack, g.Name, i, RuntimeDir(spec))).ToList();

    public IEnumerable<ConfigError> Validate(TestbedSpec spec)
    {
        foreach (var g in spec.Gateways.Where(g => g.Nic != DataNic))
            yield return new ConfigError(spec.InventoryFile, $"hosts.{g.Name}.nic", $"a local guest's data NIC is {DataNic}, not '{g.Nic}'");
        if (spec.Mtu > MaxMtu)
            yield return new ConfigError(spec.StackFile, $"{spec.Project}:mtu",
                $"{spec.Mtu} is above {MaxMtu}, the largest MTU the local guests' vector NIC takes (lab hosts may take more)");
    }

    /// <summary>Why a guest running with the command line <paramref name="running"/> must boot again to match the stack, or null.</summary>
    string? RebootReason(GuestLayout g, IReadOnlyList<string> running, TestbedSpec spec, GuestImage? image)
    {
        if (Guests.BootMtu(running) is var mtu && mtu != spec.Mtu) return $"mtu {mtu} → {spec.Mtu} (the vector NIC fixes its MTU at boot)";
        if (Guests.BootWireIo(running) is { } io && io != spec.WireIo) return $"wire-io {Name(io)} → {Name(spec.WireIo)} (fixed at boot too)";
        if (image is null) return null;
        if (Guests.BootImage(running) is { } root && root != image.Root) return "the guest image changed";
        if (!running.SequenceEqual(Guests.KernelArgs(g, image, Seed(g.Host), spec.Mtu, spec.WireIo))) return "its kernel command line changed";
        if (g.Cpu is { } cpu && Guests.AllowedCpus(g) is { } allowed && allowed != cpu.ToString(System.Globalization.CultureInfo.InvariantCulture))
            return $"it runs on CPUs {allowed}, not on CPU {cpu} alone";
        return null;
    }

    /// <summary>A wire NIC mode as the inventory's <c>wire-io</c> spells it.</summary>
    static string Name(WireIo? io) => io?.ToString().ToLowerInvariant() ?? "?";

    public IReadOnlyList<string> PendingWork(TestbedSpec spec)
    {
        var work = new List<string>();
        var procs = Processes.All();
        if (!Wiring.NamespaceExists(Namespace(spec))) work.Add($"create network namespace {Namespace(spec)} with the wire and management links");
        foreach (var g in Layout(spec))
        {
            if (Guests.RunningArgs(g, procs) is not { } running) work.Add($"boot {g.Host} (guest {g.Umid}, mtu {spec.Mtu})");
            else if (RebootReason(g, running, spec, null) is { } why) work.Add($"reboot {g.Host}: {why}");
            if (!Forwards.IsRunning(g, procs)) work.Add($"start the SSH forward 127.0.0.1 → {g.Host}");
        }
        return work;
    }

    public async Task<Topology> EnsureAsync(TestbedSpec spec, CancellationToken ct)
    {
        var progress = context.Progress;
        HostTools.RequireRoot();
        await HostTools.EnsurePackagesAsync(progress, ct);
        Trace.Mark("local: packages");
        var image = GuestImage.ForInstalledKernel();
        await image.EnsureAsync(progress, ct);
        Trace.Mark("local: image");

        Directory.CreateDirectory(Folder);
        var ns = Namespace(spec);
        var layout = Layout(spec);
        var state = State ?? new LocalState();
        state.Namespace = ns;
        state.Image = image.Dir;
        Checkpoint(state);

        var authorized = SshKeys.Ensure(ClientKey, $"ipsec-testbed {spec.Stack}");
        var pins = new HostKeyPins(context.KnownHosts);
        var needBoot = new List<GuestLayout>();
        var toStop = new List<(GuestLayout Guest, string Why)>();
        var hostKeys = new Dictionary<string, string>();
        // One scan of /proc answers every question about running processes until something is started or stopped.
        var procs = Processes.All();
        foreach (var g in layout)
        {
            var host = spec.Host(g.Host)!;
            // The tool makes each guest's host key itself, so it can pin it before the first connection.
            var hostKey = hostKeys[g.Host] = SshKeys.Ensure(HostKey(g.Host), $"{g.Host} host key");
            pins.Pin(g.Host, SshKeys.Fingerprint(hostKey));
            Guests.WriteSeed(Seed(g.Host), host, g, HostKey(g.Host), authorized);

            if (Guests.RunningArgs(g, procs) is not { } running) needBoot.Add(g);
            else if (RebootReason(g, running, spec, image) is { } why) toStop.Add((g, why));
        }
        await Task.WhenAll(toStop.Select(async s =>
        {
            progress($"{s.Guest.Host}: rebooting: {s.Why}");
            await Guests.StopAsync(s.Guest, Endpoint(state, s.Guest), pins, ct);
        }));
        needBoot.AddRange(toStop.Select(s => s.Guest));

        Trace.Mark("local: guests checked");
        await Wiring.EnsureAsync(ns, layout, spec.Mtu, progress);
        Trace.Mark("local: wiring");

        foreach (var g in needBoot)
        {
            progress($"{g.Host}: booting guest {g.Umid} (mtu {spec.Mtu})");
            Guests.RemoveUmidDir(g);
            await Guests.BootAsync(ns, g, image, Seed(g.Host), Console(g.Host), spec.Mtu, spec.WireIo);
            state.Guests[g.Host] = new GuestRecord
            {
                Umid = g.Umid, Mtu = spec.Mtu, BootedAt = DateTimeOffset.UtcNow,
                SshPort = state.Guests.GetValueOrDefault(g.Host)?.SshPort ?? 0,
            };
            Checkpoint(state);
        }

        var restarted = new List<GuestLayout>(needBoot);
        if (needBoot.Count > 0) procs = Processes.All();
        foreach (var g in layout)
        {
            var rec = state.Guests.GetValueOrDefault(g.Host);
            if (rec is null)
            {
                rec = state.Guests[g.Host] = new GuestRecord { Umid = g.Umid, Mtu = Guests.BootMtu(Guests.RunningArgs(g, procs)) ?? spec.Mtu, BootedAt = DateTimeOffset.UtcNow };
                Checkpoint(state);
            }
            await Guests.EnsureTimerKickAsync(g, procs);
            if (!Forwards.IsRunning(g, procs))
            {
                var port = rec.SshPort > 0 && Forwards.IsFree(rec.SshPort) ? rec.SshPort : Forwards.FreePort();
                await Forwards.StartAsync(ns, g, port);
                rec.SshPort = port;
                Checkpoint(state);
                if (!restarted.Contains(g)) restarted.Add(g);
            }
        }

        File.WriteAllLines(OpenSshKnownHosts, layout.Select(g =>
            $"[127.0.0.1]:{state.Guests[g.Host].SshPort} {string.Join(' ', hostKeys[g.Host].Split(' ').Take(2))}"));

        // Only what was just booted or re-plumbed needs waiting for; a running guest answers at connect.
        var started = DateTime.UtcNow;
        await Task.WhenAll(restarted.Select(async g =>
        {
            if (!await Forwards.WaitForSshAsync(state.Guests[g.Host].SshPort, TimeSpan.FromSeconds(90), ct))
                throw new LocalTestbedException($"{g.Host}: no SSH answer from guest {g.Umid} within 90 s; its console: {Tail(Console(g.Host))}");
        }));
        if (needBoot.Count > 0) progress($"guests answer SSH ({(DateTime.UtcNow - started).TotalSeconds:0.0} s after boot)");
        return Current(spec, state);
    }

    public Task<Topology> CurrentAsync(TestbedSpec spec, CancellationToken ct) => Task.FromResult(Current(spec, State));

    void Checkpoint(LocalState state) => context.State.Save(state, LocalState.Json);

    Topology Current(TestbedSpec spec, LocalState? state)
    {
        var layout = Layout(spec);
        var ns = Namespace(spec);
        var procs = Processes.All();
        var down = layout.Where(g => !Guests.IsRunning(g, procs) || !Forwards.IsRunning(g, procs) || Endpoint(state, g) is null).Select(g => g.Host).ToHashSet();
        var gateways = spec.Gateways.Select(h => h with { Ssh = Endpoint(state, layout.Single(g => g.Host == h.Name)) }).ToList();
        var extra = new Dictionary<string, IHostShell>();
        if (Wiring.NamespaceExists(ns)) extra[WireHost] = new LocalShell(WireHost, ns);
        else down.Add(WireHost);
        var facts = new List<KeyValuePair<string, string>>
        {
            new("network namespace", ns + (Wiring.NamespaceExists(ns) ? "" : " (absent)")),
            new("wire", $"{layout[0].WireDev} <-> {layout[1].WireDev} (veth, in {ns})"),
        };
        foreach (var g in layout)
        {
            var pids = Guests.ProcessesOf(g.Umid, procs).Select(p => p.Pid).ToList();
            var args = Guests.RunningArgs(g, procs);
            facts.Add(new($"{g.Host} guest", pids.Count > 0
                ? $"{g.Umid}, pids {string.Join(" ", pids)}, mtu {Guests.BootMtu(args)}, wire-io {Name(Guests.BootWireIo(args))}, cpus {Guests.AllowedCpus(g, procs) ?? "?"}"
                : $"{g.Umid} (not running)"));
            facts.Add(new($"{g.Host} management", $"{g.MgmtDev} {g.MgmtAddress} <-> {g.MgmtGuestDev} -> {g.GuestMgmtAddress}, ssh via 127.0.0.1:{state?.Guests.GetValueOrDefault(g.Host)?.SshPort}"));
            facts.Add(new($"{g.Host} console", Console(g.Host)));
        }
        var wire = layout.Select(g => new WireEnd(WireHost, g.WireDev)).ToList();
        // The wire is watched from inside the namespace, outside both guests: what a tap on a real cable would see.
        return new Topology(gateways, wire, extra, facts) { Down = down, Capture = wire[0] };
    }

    SshEndpoint? Endpoint(LocalState? state, GuestLayout g) =>
        state?.Guests.GetValueOrDefault(g.Host) is { SshPort: > 0 } rec ? new SshEndpoint("127.0.0.1", rec.SshPort, "root", ClientKey) : null;

    public async Task DestroyAsync(TestbedSpec spec, CancellationToken ct)
    {
        HostTools.RequireRoot();
        var progress = context.Progress;
        var state = State;
        var pins = new HostKeyPins(context.KnownHosts);
        var layout = Layout(spec);
        await Task.WhenAll(layout.Select(async g =>
        {
            if (Guests.IsRunning(g)) progress($"{g.Host}: stopping guest {g.Umid}");
            await Guests.StopAsync(g, Forwards.IsRunning(g) ? Endpoint(state, g) : null, pins, ct);
        }));
        foreach (var g in layout) Forwards.Stop(g);
        var ns = Namespace(spec);
        if (Wiring.NamespaceExists(ns)) progress($"deleting network namespace {ns}");
        await Wiring.DeleteAsync(ns);
        if (Directory.Exists(RuntimeDir(spec))) Directory.Delete(RuntimeDir(spec), recursive: true);

        var left = layout.SelectMany(g => Guests.ProcessesOf(g.Umid).Concat(Guests.TimerKicksOf(g.Umid)).Concat(Forwards.ProcessesOf(g.Socket))).ToList();
        if (left.Count > 0 || Wiring.NamespaceExists(ns))
            throw new LocalTestbedException($"destroy left something behind: {string.Join(", ", left.Select(p => $"pid {p.Pid} ({p.Argv[0]})"))}" +
                                            (Wiring.NamespaceExists(ns) ? $" namespace {ns}" : ""));
        context.State.Save(null, LocalState.Json);
    }

    public HostsNow Now(TestbedSpec spec)
    {
        // One /proc scan per guest: whether it runs, and the MTU it booted with.
        var procs = Processes.All();
        var args = Layout(spec).Select(g => Guests.RunningArgs(g, procs)).ToList();
        var running = args.All(a => a is not null);
        return new HostsNow(running, running ? Guests.BootMtu(args[0]) : null);
    }

    public Task<IReadOnlyList<string>> PreflightAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<int> MaxMtuAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct) => Task.FromResult(MaxMtu);

    public IHostSideCpu? HostSideCpu(TestbedSpec spec) => UmlGuestCpu.For(spec);

    public Task<WireRepair?> RepairWireAsync(TestbedSpec spec, Func<string, IHostShell> shell, CancellationToken ct) =>
        WireLatch.ClearAsync(spec.Gateways, shell, ct);

    public string LoginHint(GatewayHost gateway, string? pinnedFingerprint) =>
        $"ssh -i {gateway.Ssh!.KeyFile} -p {gateway.Ssh.Port} -o UserKnownHostsFile={OpenSshKnownHosts} {gateway.Ssh.User}@{gateway.Ssh.Host}";

    static string Tail(string file) =>
        File.Exists(file) ? string.Join(" | ", File.ReadLines(file).TakeLast(5)) : "(no console log)";
}
