using System.Security.Cryptography;
using System.Text;
using Testbed.Machine;

namespace Testbed.Local;

/// <summary>
/// The guests' root file system: Debian bookworm (minbase) with sshd, netperf and the network tools, plus the
/// UML kernel's modules and the guest init. Built once with mmdebstrap into a cache folder named by a hash of
/// everything that goes into it, so a change to any of it builds a new image and an unchanged one is reused.
/// </summary>
public sealed class GuestImage
{
    public const string Suite = "bookworm";
    const string ModulesDir = "/usr/lib/uml/modules";

    /// <summary>netperf is in Debian's non-free component; nothing else here is. sudo lets the guests stand in for lab
    /// hosts that are reached as an ordinary user. strongSwan's IKE daemon (charon-systemd, which runs without systemd
    /// too), swanctl and the usual crypto plugins (a lab host's apt brings them as recommended) key the tunnel of stacks
    /// with <c>keying: ikev2</c>.</summary>
    public static readonly string[] Packages =
        ["openssh-server", "netperf", "iproute2", "ethtool", "kmod", "procps", "iputils-ping", "tcpdump", "tcpreplay", "sudo",
         "charon-systemd", "strongswan-swanctl", "libstrongswan-standard-plugins"];

    /// <summary>
    /// Users besides root, as a lab has them: <see cref="SudoUser"/> may run anything as root without a password (what
    /// the tool needs of a non-root lab user), <see cref="PlainUser"/> may not. Both log in with the guest's authorized key.
    /// </summary>
    public const string SudoUser = "tblab", PlainUser = "tbplain";

    /// <summary>Run in the image after mmdebstrap (chroot): the users and their sudo rule. Part of the image's identity.</summary>
    static readonly string UsersScript =
        $"useradd --create-home --shell /bin/sh --uid 1000 {SudoUser} && useradd --create-home --shell /bin/sh --uid 1001 {PlainUser} && " +
        // '*': no password can log in, but the account is not locked ('!'), which sshd without PAM would refuse outright.
        $"usermod -p '*' {SudoUser} && usermod -p '*' {PlainUser} && " +
        $"echo '{SudoUser} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/{SudoUser} && chmod 0440 /etc/sudoers.d/{SudoUser} && " +
        // The guests have no name service for their own host name; without this sudo warns on every command.
        "echo 'Defaults !fqdn' > /etc/sudoers.d/testbed && chmod 0440 /etc/sudoers.d/testbed";

    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("TESTBED_CACHE") is { Length: > 0 } dir ? dir : "/var/cache/ipsec-testbed";

    public static string InitScript
    {
        get
        {
            using var s = typeof(GuestImage).Assembly.GetManifestResourceStream("testbed-init.sh")!;
            return new StreamReader(s).ReadToEnd();
        }
    }

    public string KernelVersion { get; }
    public string Dir { get; }
    public string Root => Path.Combine(Dir, "root");
    public bool IsReady => File.Exists(Path.Combine(Dir, "ready"));

    GuestImage(string kernelVersion)
    {
        KernelVersion = kernelVersion;
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', [Suite, kernelVersion, InitScript, UsersScript, .. Packages]))))[..12];
        Dir = Path.Combine(CacheRoot, $"guest-{id}");
    }

    /// <summary>The image for the installed UML kernel (whose modules the guests load).</summary>
    public static GuestImage ForInstalledKernel()
    {
        var versions = Directory.Exists(ModulesDir) ? Directory.GetDirectories(ModulesDir).Select(Path.GetFileName).ToList() : [];
        if (versions.Count == 0) throw new LocalTestbedException($"no UML kernel modules in {ModulesDir}; is user-mode-linux installed?");
        return new GuestImage(versions.Max()!);
    }

    public async Task EnsureAsync(Action<string> progress, CancellationToken ct)
    {
        if (IsReady) return;
        Directory.CreateDirectory(CacheRoot);
        var lockFile = Path.Combine(CacheRoot, "build.lock");
        using var buildLock = await AcquireAsync(lockFile, progress, ct);
        try
        {
            if (IsReady) return;
            await BuildAsync(progress, ct);
        }
        finally
        {
            File.Delete(lockFile);
        }
    }

    static async Task<FileStream> AcquireAsync(string file, Action<string> progress, CancellationToken ct)
    {
        var waited = false;
        for (var i = 0; i < 600; i++)
        {
            try
            {
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!waited) progress("waiting for another run that is building the guest image");
                waited = true;
                await Task.Delay(1000, ct);
            }
        }
        throw new LocalTestbedException($"the guest image build lock {file} is still held after 10 minutes");
    }

    async Task BuildAsync(Action<string> progress, CancellationToken ct)
    {
        var tmp = Dir + ".building";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        var root = Path.Combine(tmp, "root");
        progress($"building the guest image with mmdebstrap ({Suite}, {string.Join(" ", Packages)}); about 20 s");
        var started = DateTime.UtcNow;
        await Commands.Run(["mmdebstrap", "--quiet", "--variant=minbase", "--components=main,non-free",
            "--include=" + string.Join(",", Packages), Suite, root], TimeSpan.FromMinutes(30), ct);

        await Commands.Run(["chroot", root, "sh", "-c", UsersScript], TimeSpan.FromMinutes(1), ct);

        // The guest kernel loads its modules from /lib/modules/<version>, which must be inside its root.
        var modules = Path.Combine(root, "lib", "modules");
        Directory.CreateDirectory(modules);
        await Commands.Run(["cp", "-a", Path.Combine(ModulesDir, KernelVersion), modules], TimeSpan.FromMinutes(5), ct);

        var init = Path.Combine(root, "sbin", "testbed-init");
        await File.WriteAllTextAsync(init, InitScript, ct);
        File.SetUnixFileMode(init, (UnixFileMode)0b111_101_101);

        // Host keys baked into a shared image would be the same on every guest: each guest gets its own at boot.
        foreach (var key in Directory.GetFiles(Path.Combine(root, "etc", "ssh"), "ssh_host_*")) File.Delete(key);

        await File.WriteAllTextAsync(Path.Combine(tmp, "ready"), $"{DateTimeOffset.UtcNow:O} kernel {KernelVersion}\n", ct);
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        Directory.Move(tmp, Dir);
        progress($"guest image ready in {(DateTime.UtcNow - started).TotalSeconds:0} s: {Dir}");
        RemoveStaleImages(progress);
    }

    /// <summary>Older images (another kernel, another init) go, unless a running guest still has one as its root.</summary>
    void RemoveStaleImages(Action<string> progress)
    {
        var inUse = Processes.All().Select(p => Guests.BootImage(p.Argv)).OfType<string>().ToHashSet();
        foreach (var dir in Directory.GetDirectories(CacheRoot, "guest-*"))
        {
            if (dir == Dir || dir.EndsWith(".building") || inUse.Contains(Path.Combine(dir, "root"))) continue;
            progress($"removing the stale guest image {dir}");
            Directory.Delete(dir, recursive: true);
        }
    }
}
