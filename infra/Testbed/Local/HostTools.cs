using Testbed.Engine;
using Testbed.Transport;

namespace Testbed.Local;

/// <summary>Runs programs on this machine for the local testbed, and installs the Debian packages it needs.</summary>
public static class HostTools
{
    /// <summary>What the local testbed needs on this machine: the UML kernel, the image builder, the forwarder, a sniffer.</summary>
    public static readonly string[] Packages = ["user-mode-linux", "mmdebstrap", "socat", "tcpdump", "iproute2"];

    public static async Task<string> Run(IReadOnlyList<string> argv, TimeSpan? timeout = null, CancellationToken ct = default, string? stdin = null)
    {
        var r = await LocalShell.Run(argv, stdin, timeout ?? TimeSpan.FromSeconds(60), ct);
        if (!r.Ok) throw new LocalTestbedException($"{string.Join(' ', argv)} failed (exit {r.ExitCode}): {r.Stderr.Trim()}");
        return r.Stdout;
    }

    /// <summary>
    /// Starts a long-lived process detached from this one (its own session, stdio to a log or /dev/null), so it
    /// outlives the run and holds none of this process's pipes open.
    /// </summary>
    public static Task Spawn(IReadOnlyList<string> argv, string? log = null) =>
        Run(["sh", "-c", $"exec setsid -f {string.Join(' ', argv.Select(Sh.Quote))} > {Sh.Quote(log ?? "/dev/null")} 2>&1 < /dev/null"]);

    public static async Task<bool> TryRun(IReadOnlyList<string> argv, CancellationToken ct = default) =>
        (await LocalShell.Run(argv, null, TimeSpan.FromSeconds(60), ct)).Ok;

    public static async Task<IReadOnlyList<string>> MissingPackages(CancellationToken ct)
    {
        var r = await LocalShell.Run(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", .. Packages], null, TimeSpan.FromSeconds(30), ct);
        var installed = r.Stdout.Split('\n').Where(l => l.EndsWith(" installed")).Select(l => l.Split(' ')[0]).ToHashSet();
        return Packages.Where(p => !installed.Contains(p)).ToList();
    }

    /// <summary>Installs what is missing with apt-get.</summary>
    public static async Task EnsurePackagesAsync(IReporter reporter, CancellationToken ct)
    {
        var missing = await MissingPackages(ct);
        if (missing.Count == 0) return;
        reporter.Progress($"installing {string.Join(", ", missing)} with apt-get");
        await AptInstallAsync(missing, ct);
    }

    /// <summary>apt-get install, without questions or recommends, after refreshing the package lists (as root).</summary>
    public static async Task AptInstallAsync(IReadOnlyList<string> packages, CancellationToken ct)
    {
        var env = new[] { "env", "DEBIAN_FRONTEND=noninteractive" };
        await Run([.. env, "apt-get", "update", "-q"], TimeSpan.FromMinutes(10), ct);
        await Run([.. env, "apt-get", "install", "-y", "-q", "--no-install-recommends", .. packages], TimeSpan.FromMinutes(20), ct);
    }

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            throw new LocalTestbedException("the local testbed needs root (network namespaces, raw sockets, apt-get); run it with sudo");
    }
}

public sealed class LocalTestbedException(string message) : Exception(message);
