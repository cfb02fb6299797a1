using Testbed.Machine;
using Testbed.Providers;
using Testbed.Transport;

namespace Testbed.Local;

/// <summary>What the local testbed needs of this machine: root, and a few Debian packages.</summary>
public static class HostTools
{
    /// <summary>The UML kernel, the image builder, the forwarder, a sniffer, and ip.</summary>
    public static readonly string[] Packages = ["user-mode-linux", "mmdebstrap", "socat", "tcpdump", "iproute2"];

    /// <summary>A program each package installs: when all are there, nothing is missing and dpkg need not be asked (a process: ~50 ms).</summary>
    static readonly string[] Programs = ["/usr/bin/linux.uml", "/usr/bin/mmdebstrap", "/usr/bin/socat", "/usr/bin/tcpdump", "/usr/sbin/ip", "/usr/bin/ip"];

    public static async Task<IReadOnlyList<string>> MissingPackages(CancellationToken ct)
    {
        if (Programs.Take(4).All(File.Exists) && Programs.Skip(4).Any(File.Exists)) return [];
        var r = await LocalShell.Run(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", .. Packages], null, TimeSpan.FromSeconds(30), ct);
        var installed = r.Stdout.Split('\n').Where(l => l.EndsWith(" installed")).Select(l => l.Split(' ')[0]).ToHashSet();
        return Packages.Where(p => !installed.Contains(p)).ToList();
    }

    /// <summary>Installs what is missing with apt-get.</summary>
    public static async Task EnsurePackagesAsync(Action<string> progress, CancellationToken ct)
    {
        var missing = await MissingPackages(ct);
        if (missing.Count == 0) return;
        progress($"installing {string.Join(", ", missing)} with apt-get");
        await Commands.AptInstallAsync(missing, ct);
    }

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            throw new LocalTestbedException("the local testbed needs root (network namespaces, raw sockets, apt-get); run it with sudo");
    }
}

public sealed class LocalTestbedException(string message) : ProviderException(message);
