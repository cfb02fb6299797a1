using Testbed.Transport;

namespace Testbed.Machine;

/// <summary>Runs programs on this machine (no shell unless asked for), and installs Debian packages on it.</summary>
public static class Commands
{
    public static async Task<string> Run(IReadOnlyList<string> argv, TimeSpan? timeout = null, CancellationToken ct = default, string? stdin = null)
    {
        var r = await LocalShell.Run(argv, stdin, timeout ?? TimeSpan.FromSeconds(60), ct);
        if (!r.Ok) throw new MachineException($"{string.Join(' ', argv)} failed (exit {r.ExitCode}): {r.Stderr.Trim()}");
        return r.Stdout;
    }

    public static async Task<bool> TryRun(IReadOnlyList<string> argv, CancellationToken ct = default) =>
        (await LocalShell.Run(argv, null, TimeSpan.FromSeconds(60), ct)).Ok;

    /// <summary>
    /// Starts a long-lived process detached from this one (its own session, stdio to a log or /dev/null), so it
    /// outlives the run and holds none of this process's pipes open.
    /// </summary>
    public static Task Spawn(IReadOnlyList<string> argv, string? log = null) =>
        Run(["sh", "-c", $"exec setsid -f {string.Join(' ', argv.Select(Sh.Quote))} > {Sh.Quote(log ?? "/dev/null")} 2>&1 < /dev/null"]);

    /// <summary>apt-get install, without questions or recommends, after refreshing the package lists (as root).</summary>
    public static async Task AptInstallAsync(IReadOnlyList<string> packages, CancellationToken ct)
    {
        var env = new[] { "env", "DEBIAN_FRONTEND=noninteractive" };
        await Run([.. env, "apt-get", "update", "-q"], TimeSpan.FromMinutes(10), ct);
        await Run([.. env, "apt-get", "install", "-y", "-q", "--no-install-recommends", .. packages], TimeSpan.FromMinutes(20), ct);
    }
}

/// <summary>A program run on this machine failed; the message has its command line, exit code and error output.</summary>
public sealed class MachineException(string message) : Exception(message);
