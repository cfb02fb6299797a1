using Testbed.Machine;
using System.Formats.Tar;
using Testbed.Config;
using Testbed.Model;
using Testbed.Transport;

namespace Testbed.Local;

/// <summary>
/// The gateway guests: user-mode Linux kernels running as processes of this machine, inside the testbed's
/// namespace. Their root is the shared image (read-only, and confined there with <c>hostfs=</c>); their own
/// settings come on a small read-only block device holding a tar archive.
/// </summary>
public static class Guests
{
    public const string Memory = "256M";

    /// <summary>Modules every guest loads at boot: IPsec, the paper's ciphers and the modern ones, shaping, dummy.</summary>
    public static readonly string[] Modules =
    [
        "xfrm_user", "esp4", "ah4", "des_generic", "cbc", "hmac", "authenc", "echainiv", "seqiv", "gcm", "ghash-generic",
        "ctr", "chacha_generic", "poly1305_generic", "chacha20poly1305", "xcbc", "sch_tbf", "sch_netem", "dummy",
    ];

    /// <summary>Every process of the guest with this umid (a UML guest is several: the kernel's tracer and its children).</summary>
    /// <param name="all">One scan of /proc that answers several questions (a scan is ~10 ms); null: scan now.</param>
    public static IReadOnlyList<Processes.Proc> ProcessesOf(string umid, IReadOnlyList<Processes.Proc>? all = null) =>
        (all ?? Processes.All()).Where(p => p.Argv.Contains($"umid={umid}") && p.Argv[0].Contains("linux")).ToList();

    public static bool IsRunning(GuestLayout g, IReadOnlyList<Processes.Proc>? all = null) => ProcessesOf(g.Umid, all).Count > 0;

    /// <summary>
    /// The guest kernel's timer, kept alive from outside. Now and then a UML kernel (Debian's 6.1) disarms its own
    /// one-shot host timer while its idle loop waits for it: the main process then spins (timer_gettime returns 0, no
    /// SIGALRM ever comes), the guest's clock stops ticking, its /proc/stat books a window of traffic as idle, and SSH
    /// stops answering (seen on the receiver after minutes of streams). One SIGALRM revives it: the timer handler runs
    /// and re-arms the next event. So each guest gets a companion that sends one every second while the guest lives;
    /// to a healthy guest it is one spurious tick a second, which its hrtimer code ignores. The companion is found by
    /// its name and the guest's umid in its arguments, ends by itself when the guest is gone, and is stopped with it.
    /// </summary>
    public const string TimerKickName = "uml-timer-kick";

    // $1 umid=<umid>, $2 the guest's pid file (removed before every boot, so what it holds is this boot's pid). Each
    // second: the pid must still be this guest (its argument list holds $1: no stranger gets the signal after pid
    // reuse), and its SIGALRM must be caught (SigCgt bit 14): a guest rebooting itself re-execs in the same process,
    // and until its handler is back a SIGALRM would kill it.
    const string TimerKickScript =
        "f=$2; i=0; while [ ! -s \"$f\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; " +
        "p=$(cat \"$f\" 2>/dev/null) || exit 0; " +
        "while grep -qaxz -- \"$1\" /proc/$p/cmdline 2>/dev/null; do sleep 1; " +
        "c=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$p/status 2>/dev/null); c=${c#\"${c%????}\"}; " +
        "[ -n \"$c\" ] && [ $((0x$c & 0x2000)) -ne 0 ] && kill -ALRM \"$p\" 2>/dev/null; done";

    public static IReadOnlyList<Processes.Proc> TimerKicksOf(string umid, IReadOnlyList<Processes.Proc>? all = null) =>
        (all ?? Processes.All()).Where(p => p.Argv.Contains(TimerKickName) && p.Argv.Contains($"umid={umid}")).ToList();

    /// <summary>Starts the guest's timer companion unless it has one (it waits up to a minute for the guest's pid file).</summary>
    public static async Task EnsureTimerKickAsync(GuestLayout g, IReadOnlyList<Processes.Proc>? all = null)
    {
        if (TimerKicksOf(g.Umid, all).Count > 0) return;
        await Commands.Spawn(["sh", "-c", TimerKickScript, TimerKickName, $"umid={g.Umid}", Path.Combine(UmidDir(g), "pid")]);
    }

    /// <summary>The command line of a running guest (its main process), or null.</summary>
    public static IReadOnlyList<string>? RunningArgs(GuestLayout g, IReadOnlyList<Processes.Proc>? all = null) =>
        ProcessesOf(g.Umid, all).MinBy(p => p.Pid)?.Argv;

    /// <summary>The MTU a running guest was booted with (it is fixed at boot), read off its command line.</summary>
    public static int? BootMtu(GuestLayout g) => BootMtu(RunningArgs(g));

    static string VectorOptions(WireIo io) => io == WireIo.Packet ? "vec=0" : "depth=128";

    /// <summary>The options of the wire NIC (vec0) on a guest kernel's command line, or null when it has none.</summary>
    static string[]? WireOptions(IReadOnlyList<string>? args) => BootArg(args, "vec0:")?.Split(',');

    /// <summary>How a guest's wire NIC moves frames, read off its kernel command line.</summary>
    public static WireIo? BootWireIo(IReadOnlyList<string>? args) =>
        WireOptions(args) is { } options ? options.Contains(VectorOptions(WireIo.Packet)) ? WireIo.Packet : WireIo.Vector : null;

    /// <summary>The MTU on a guest kernel's command line (its vec0 option).</summary>
    public static int? BootMtu(IReadOnlyList<string>? args) =>
        WireOptions(args)?.FirstOrDefault(o => o.StartsWith("mtu=")) is { } mtu && int.TryParse(mtu[4..], out var m) ? m : null;

    /// <summary>The root image on a guest kernel's command line.</summary>
    public static string? BootImage(IReadOnlyList<string>? args) => BootArg(args, "hostfs=");

    static string? BootArg(IReadOnlyList<string>? args, string prefix) =>
        args?.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    /// <summary>Writes the guest's seed: its name, addresses, modules, its SSH host key and the key it lets in.</summary>
    public static void WriteSeed(string seedFile, GatewayHost host, GuestLayout g, string hostKeyFile, string authorizedKey)
    {
        var env = $"""
            TB_HOSTNAME={host.Name}
            TB_MODULES="{string.Join(' ', Modules)}"
            TB_MGMT_ADDR={g.GuestMgmtAddress}
            TB_WIRE_ADDR={host.Address}

            """;
        var tmp = seedFile + ".tmp";
        using (var stream = new FileStream(tmp, new FileStreamOptions
               {
                   Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        using (var tar = new TarWriter(stream, TarEntryFormat.Ustar))
        {
            void Add(string name, string text, UnixFileMode mode)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)),
                    Mode = mode, ModificationTime = DateTimeOffset.UtcNow,
                };
                tar.WriteEntry(entry);
            }
            Add("guest.env", env, (UnixFileMode)0b110_100_100);
            Add("ssh_host_key", File.ReadAllText(hostKeyFile), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Add("authorized_keys", authorizedKey + "\n", (UnixFileMode)0b110_100_100);
        }
        File.Move(tmp, seedFile, overwrite: true);
    }

    /// <summary>Boots the guest inside the namespace, on its own CPU: every process the kernel forks inherits the pinning.</summary>
    public static async Task BootAsync(string ns, GuestLayout g, GuestImage image, string seedFile, string consoleLog, int mtu, WireIo io) =>
        await Commands.Spawn(["ip", "netns", "exec", ns, .. PinTo(g.Cpu), .. KernelArgs(g, image, seedFile, mtu, io)], consoleLog);

    static string[] PinTo(int? cpu) => cpu is { } c ? ["taskset", "-c", c.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];

    /// <summary>The CPUs a running guest's main process may run on (<c>Cpus_allowed_list</c>), or null when it is not running.</summary>
    public static string? AllowedCpus(GuestLayout g, IReadOnlyList<Processes.Proc>? all = null)
    {
        if (ProcessesOf(g.Umid, all).MinBy(p => p.Pid) is not { } main) return null;
        try
        {
            return File.ReadLines($"/proc/{main.Pid}/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:"))?.Split(':')[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The guest kernel's command line: a running guest with another one must boot again to match.
    /// The wire NIC moves one frame per system call (<c>vec=0</c>) or batches (<c>depth=128</c>), as the inventory's
    /// <c>wire-io</c> says: batched, a gateway's cost per byte followed the TCP stream's queueing (docs/thresholds.md,
    /// "Where the noise came from"); one per call, the driver may latch a failed write (<see cref="WireLatch"/>).
    /// <c>gro=1</c> keeps the virtio-net header, so plain IP sends 64 KiB segments either way.
    /// </summary>
    public static string[] KernelArgs(GuestLayout g, GuestImage image, string seedFile, int mtu, WireIo io) =>
        [
        "linux.uml", $"umid={g.Umid}", $"mem={Memory}",
            $"hostfs={image.Root}", "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "ro", "init=/sbin/testbed-init",
            $"ubd0r={seedFile}",
            $"vec0:transport=raw,ifname={g.WireDev},{VectorOptions(io)},gro=1,mtu={mtu},mac={Mac(g, 0)}",
            $"vec1:transport=raw,ifname={g.MgmtGuestDev},mac={Mac(g, 1)}",
            "con=null", "con0=null,fd:1",
        ];

    /// <summary>
    /// A fixed, locally administered MAC per guest and NIC. UML picks random ones at every boot, which leaves the
    /// peer's and the namespace's ARP caches pointing at a MAC that no longer exists after a reboot.
    /// </summary>
    public static string Mac(GuestLayout g, int nic)
    {
        var h = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{g.Umid}/vec{nic}"));
        return $"02:{h[0]:x2}:{h[1]:x2}:{h[2]:x2}:{h[3]:x2}:{nic:x2}";
    }

    /// <summary>
    /// Stops a guest for good: a clean power-off from inside when it answers, then SIGKILL for whatever of its
    /// processes remain, then its ~/.uml folder. Verifies that nothing of it is left.
    /// </summary>
    public static async Task StopAsync(GuestLayout g, SshEndpoint? ssh, HostKeyPins pins, CancellationToken ct)
    {
        await StopTimerKickAsync(g, ct);
        if (!IsRunning(g)) { RemoveUmidDir(g); return; }
        if (ssh is not null)
        {
            try
            {
                await using var shell = new SshHostShell(g.Host, ssh, pins, new SshOptions(TimeSpan.FromSeconds(3), 1, 1, TimeSpan.Zero));
                // Run in the background so the command returns before the kernel goes away under the connection.
                await shell.RunAsync(new RemoteCommand("(sleep 0.2; echo o > /proc/sysrq-trigger) >/dev/null 2>&1 &"),
                    "power off", TimeSpan.FromSeconds(5), ct);
            }
            catch (TransportException) { }
            await Processes.WaitGone(() => ProcessesOf(g.Umid), TimeSpan.FromSeconds(5), ct);
        }
        for (var attempt = 0; attempt < 3 && IsRunning(g); attempt++)
        {
            Processes.Kill(ProcessesOf(g.Umid), 9);
            await Processes.WaitGone(() => ProcessesOf(g.Umid), TimeSpan.FromSeconds(5), ct);
        }
        if (IsRunning(g))
            throw new LocalTestbedException($"{g.Host}: guest {g.Umid} still has processes after SIGKILL: " +
                                            string.Join(", ", ProcessesOf(g.Umid).Select(p => p.Pid)));
        RemoveUmidDir(g);
    }

    static async Task StopTimerKickAsync(GuestLayout g, CancellationToken ct)
    {
        Processes.Kill(TimerKicksOf(g.Umid), 15);
        await Processes.WaitGone(() => TimerKicksOf(g.Umid), TimeSpan.FromSeconds(3), ct);
    }

    static string UmidDir(GuestLayout g) => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".uml", g.Umid);

    /// <summary>Removes the guest's ~/.uml folder (its pid file and mconsole socket); before a boot, what a guest that died left.</summary>
    public static void RemoveUmidDir(GuestLayout g)
    {
        var dir = UmidDir(g);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
