using Testbed.Config;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Transport;

namespace Testbed.Local;

/// <summary>
/// The embedded default: two user-mode Linux gateways on this machine, joined by a veth wire inside a network
/// namespace the tool owns, each reached over SSH through a forward on 127.0.0.1. To the engine they are hosts
/// like any other: an SSH endpoint and a key.
/// </summary>
public sealed class LocalTestbed(StackPaths paths) : IHostProvider
{
    public const string DataNic = "vec0";
    /// <summary>Measured: the vector NIC boots with mtu=65500 and silently falls back to 1500 at 65535.</summary>
    public const int MaxMtu = 65500;
    public const string WireHost = "wire";

    string ClientKey => Path.Combine(paths.Local, "id_ecdsa");

    /// <summary>The guests' host keys in OpenSSH's known_hosts format, for logging in with ssh(1) by hand.</summary>
    public static string OpenSshKnownHosts(StackPaths paths) => Path.Combine(paths.Local, "known_hosts");
    string HostKey(string host) => Path.Combine(paths.Local, $"{host}.host_key");
    string Seed(string host) => Path.Combine(paths.Local, $"{host}.seed.tar");
    public string Console(string host) => Path.Combine(paths.Local, $"{host}.console.log");

    static string Namespace(TestbedSpec spec) => $"{spec.Project}-{spec.Stack}";
    static string RuntimeDir(TestbedSpec spec) => Path.Combine("/run/ipsec-testbed", $"{spec.Project}-{spec.Stack}");

    public static IReadOnlyList<GuestLayout> Layout(TestbedSpec spec) =>
        spec.Gateways.OrderBy(g => g.Role).Select((g, i) => GuestLayout.For(spec.Project, spec.Stack, g.Name, i, RuntimeDir(spec))).ToList();

    public bool HostsAreEphemeral => true;

    public void Validate(TestbedSpec spec, ErrorSink errors)
    {
        foreach (var g in spec.Gateways.Where(g => g.Nic != DataNic))
            errors.Add(new ConfigError(spec.InventoryFile, $"hosts.{g.Name}.nic", $"a local guest's data NIC is {DataNic}, not '{g.Nic}'"));
        if (spec.Mtu > MaxMtu)
            errors.Add(new ConfigError(spec.StackFile, $"{spec.Project}:mtu",
                $"{spec.Mtu} is above {MaxMtu}, the largest MTU the local guests' vector NIC takes (lab hosts may take more)"));
    }

    /// <summary>Why a guest running with the command line <paramref name="running"/> must boot again to match the stack, or null.</summary>
    string? RebootReason(GuestLayout g, IReadOnlyList<string> running, TestbedSpec spec, GuestImage? image)
    {
        if (Guests.BootMtu(running) is var mtu && mtu != spec.Mtu) return $"mtu {mtu} → {spec.Mtu} (the vector NIC fixes its MTU at boot)";
        if (image is null) return null;
        if (Guests.BootImage(running) is { } root && root != image.Root) return "the guest image changed";
        if (!running.SequenceEqual(Guests.KernelArgs(g, image, Seed(g.Host), spec.Mtu))) return "its kernel command line changed";
        return null;
    }

    public IReadOnlyList<string> PendingWork(TestbedSpec spec, StackState state)
    {
        var work = new List<string>();
        if (!Wiring.NamespaceExists(Namespace(spec))) work.Add($"create network namespace {Namespace(spec)} with the wire and management links");
        foreach (var g in Layout(spec))
        {
            if (Guests.RunningArgs(g) is not { } running) work.Add($"boot {g.Host} (guest {g.Umid}, mtu {spec.Mtu})");
            else if (RebootReason(g, running, spec, null) is { } why) work.Add($"reboot {g.Host}: {why}");
            if (!Forwards.IsRunning(g)) work.Add($"start the SSH forward 127.0.0.1 → {g.Host}");
        }
        return work;
    }

    public async Task<Topology> EnsureAsync(TestbedSpec spec, StackState state, StateStore store, IReporter reporter, CancellationToken ct)
    {
        HostTools.RequireRoot();
        await HostTools.EnsurePackagesAsync(reporter, ct);
        Trace.Mark("local: packages");
        var image = GuestImage.ForInstalledKernel();
        await image.EnsureAsync(reporter, ct);
        Trace.Mark("local: image");

        paths.Ensure();
        Directory.CreateDirectory(paths.Local);
        var ns = Namespace(spec);
        var layout = Layout(spec);
        store.Update(state, s =>
        {
            s.Local ??= new LocalState();
            s.Local.Namespace = ns;
            s.Local.Image = image.Dir;
        });

        var authorized = SshKeys.Ensure(ClientKey, $"ipsec-testbed {spec.Stack}");
        var pins = new HostKeyPins(paths.KnownHosts);
        var needBoot = new List<GuestLayout>();
        var toStop = new List<(GuestLayout Guest, string Why)>();
        var hostKeys = new Dictionary<string, string>();
        foreach (var g in layout)
        {
            var host = spec.Host(g.Host)!;
            // The tool makes each guest's host key itself, so it can pin it before the first connection.
            var hostKey = hostKeys[g.Host] = SshKeys.Ensure(HostKey(g.Host), $"{g.Host} host key");
            pins.Pin(g.Host, SshKeys.Fingerprint(hostKey));
            Guests.WriteSeed(Seed(g.Host), host, g, HostKey(g.Host), authorized);

            if (Guests.RunningArgs(g) is not { } running) needBoot.Add(g);
            else if (RebootReason(g, running, spec, image) is { } why) toStop.Add((g, why));
        }
        await Task.WhenAll(toStop.Select(async s =>
        {
            reporter.Progress($"{s.Guest.Host}: rebooting: {s.Why}");
            await Guests.StopAsync(s.Guest, Endpoint(state, s.Guest), pins, ct);
        }));
        needBoot.AddRange(toStop.Select(s => s.Guest));

        Trace.Mark("local: guests checked");
        await Wiring.EnsureAsync(ns, layout, spec.Mtu, reporter.Progress);
        Trace.Mark("local: wiring");

        foreach (var g in needBoot)
        {
            reporter.Progress($"{g.Host}: booting guest {g.Umid} (mtu {spec.Mtu})");
            await Guests.BootAsync(ns, g, image, Seed(g.Host), Console(g.Host), spec.Mtu);
            store.Update(state, s => s.Local!.Guests[g.Host] = new GuestRecord
            {
                Umid = g.Umid, Mtu = spec.Mtu, BootedAt = DateTimeOffset.UtcNow,
                SshPort = s.Local.Guests.GetValueOrDefault(g.Host)?.SshPort ?? 0,
            });
        }

        var restarted = new List<GuestLayout>(needBoot);
        foreach (var g in layout)
        {
            var rec = state.Local!.Guests.GetValueOrDefault(g.Host);
            if (rec is null)
            {
                rec = new GuestRecord { Umid = g.Umid, Mtu = Guests.BootMtu(g) ?? spec.Mtu, BootedAt = DateTimeOffset.UtcNow };
                store.Update(state, s => s.Local!.Guests[g.Host] = rec);
            }
            if (!Forwards.IsRunning(g))
            {
                var port = rec.SshPort > 0 && Forwards.IsFree(rec.SshPort) ? rec.SshPort : Forwards.FreePort();
                await Forwards.StartAsync(ns, g, port);
                store.Update(state, _ => rec.SshPort = port);
                if (!restarted.Contains(g)) restarted.Add(g);
            }
        }

        File.WriteAllLines(OpenSshKnownHosts(paths), layout.Select(g =>
            $"[127.0.0.1]:{state.Local!.Guests[g.Host].SshPort} {string.Join(' ', hostKeys[g.Host].Split(' ').Take(2))}"));

        // Only what was just booted or re-plumbed needs waiting for; a running guest answers at connect.
        var started = DateTime.UtcNow;
        await Task.WhenAll(restarted.Select(async g =>
        {
            if (!await Forwards.WaitForSshAsync(state.Local!.Guests[g.Host].SshPort, TimeSpan.FromSeconds(90), ct))
                throw new LocalTestbedException($"{g.Host}: no SSH answer from guest {g.Umid} within 90 s; its console: {Tail(Console(g.Host))}");
        }));
        if (needBoot.Count > 0) reporter.Progress($"guests answer SSH ({(DateTime.UtcNow - started).TotalSeconds:0.0} s after boot)");
        return Current(spec, state);
    }

    public Task<Topology> CurrentAsync(TestbedSpec spec, StackState state, CancellationToken ct) => Task.FromResult(Current(spec, state));

    Topology Current(TestbedSpec spec, StackState state)
    {
        var layout = Layout(spec);
        var ns = Namespace(spec);
        var down = layout.Where(g => !Guests.IsRunning(g) || !Forwards.IsRunning(g) || Endpoint(state, g) is null).Select(g => g.Host).ToHashSet();
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
            var pids = Processes.OfGuest(g.Umid).Select(p => p.Pid).ToList();
            facts.Add(new($"{g.Host} guest", pids.Count > 0 ? $"{g.Umid}, pids {string.Join(" ", pids)}, mtu {Guests.BootMtu(g)}" : $"{g.Umid} (not running)"));
            facts.Add(new($"{g.Host} management", $"{g.MgmtDev} {g.MgmtAddress} <-> {g.MgmtGuestDev} -> {g.GuestMgmtAddress}, ssh via 127.0.0.1:{state.Local?.Guests.GetValueOrDefault(g.Host)?.SshPort}"));
            facts.Add(new($"{g.Host} console", Console(g.Host)));
        }
        return new Topology(gateways, layout.Select(g => new WireEnd(WireHost, g.WireDev)).ToList(), extra, facts) { Down = down };
    }

    SshEndpoint? Endpoint(StackState state, GuestLayout g) =>
        state.Local?.Guests.GetValueOrDefault(g.Host) is { SshPort: > 0 } rec ? new SshEndpoint("127.0.0.1", rec.SshPort, "root", ClientKey) : null;

    public async Task DestroyAsync(TestbedSpec spec, StackState state, StateStore store, IReporter reporter, CancellationToken ct)
    {
        HostTools.RequireRoot();
        var pins = new HostKeyPins(paths.KnownHosts);
        var layout = Layout(spec);
        await Task.WhenAll(layout.Select(async g =>
        {
            if (Guests.IsRunning(g)) reporter.Progress($"{g.Host}: stopping guest {g.Umid}");
            await Guests.StopAsync(g, Forwards.IsRunning(g) ? Endpoint(state, g) : null, pins, ct);
        }));
        foreach (var g in layout) Forwards.Stop(g);
        var ns = Namespace(spec);
        if (Wiring.NamespaceExists(ns)) reporter.Progress($"deleting network namespace {ns}");
        await Wiring.DeleteAsync(ns);
        if (Directory.Exists(RuntimeDir(spec))) Directory.Delete(RuntimeDir(spec), recursive: true);

        var left = layout.SelectMany(g => Processes.OfGuest(g.Umid).Concat(Processes.OfForward(g.Socket))).ToList();
        if (left.Count > 0 || Wiring.NamespaceExists(ns))
            throw new LocalTestbedException($"destroy left something behind: {string.Join(", ", left.Select(p => $"pid {p.Pid} ({p.Argv[0]})"))}" +
                                            (Wiring.NamespaceExists(ns) ? $" namespace {ns}" : ""));
        store.Update(state, s => s.Local = null);
    }

    static string Tail(string file) =>
        File.Exists(file) ? string.Join(" | ", File.ReadLines(file).TakeLast(5)) : "(no console log)";
}
