namespace Testbed.Transport;

/// <summary>
/// A program left running on a host between two commands: netserver for a measurement, tcpdump for a capture. It is
/// detached from the command that starts it (its own session, stdin from /dev/null, output to a log file on the host)
/// because an SSH channel stays open for as long as anything holds its descriptors, and its pid is written down, so
/// stopping it never depends on a process name. Stop it in a <c>finally</c>: a job nobody stops keeps a lab busy.
/// </summary>
public sealed class RemoteJob
{
    static readonly TimeSpan Short = TimeSpan.FromSeconds(30);

    readonly IHostShell _shell;
    readonly string _what;
    readonly string _log;

    public string Pid { get; }

    RemoteJob(IHostShell shell, string what, string log, string pid) => (_shell, _what, _log, Pid) = (shell, what, log, pid);

    /// <param name="command">The program and its arguments, already quoted for sh; it runs with exec (the pid is its own).</param>
    /// <param name="ready">A shell condition that holds once the job is ready (a port listens, a file is written); polled for
    /// up to 5 s. Null: ready at once.</param>
    /// <param name="before">Run first, in the same round trip (clearing what an earlier run left).</param>
    public static async Task<RemoteJob> StartAsync(IHostShell shell, string what, string command, string? ready, CancellationToken ct,
        string before = "")
    {
        var log = $"/tmp/tb-job-{Guid.NewGuid():N}.log";
        var script = before + "\n" +
            // In a shell without job control a background job is not a process group leader, so setsid does not fork:
            // $! is the job's own pid once it has exec'd.
            $"setsid sh -c {Sh.Quote("exec " + command)} </dev/null >{log} 2>&1 &\n" +
            "pid=$!\n" +
            (ready is null ? "" :
                $"i=0; until {ready}; do i=$((i+1)); kill -0 $pid 2>/dev/null || {{ echo \"exited: $(tail -c 400 {log})\" >&2; exit 3; }}; " +
                "[ $i -ge 100 ] && { kill -9 $pid; echo 'not ready within 5 s' >&2; exit 4; }; sleep 0.05; done\n") +
            "echo $pid";
        var r = await shell.RunAsync(new RemoteCommand(script), $"start {what}", Short, ct);
        var pid = r.Stdout.Trim();
        if (!r.Ok || !int.TryParse(pid, out _))
            throw new RemoteJobException($"{shell.Name}: {what} did not start (exit {r.ExitCode}): {(r.Stderr + r.Stdout).Trim()}");
        return new RemoteJob(shell, what, log, pid);
    }

    /// <summary>
    /// Stops the job (<paramref name="signal"/> first, so that tcpdump flushes its file, then SIGKILL after 5 s) and
    /// removes its log; runs <paramref name="then"/> in the same round trip and returns what it printed.
    /// </summary>
    public async Task<CommandResult> StopAsync(string then = "", string signal = "INT", CancellationToken ct = default)
    {
        var script =
            $"kill -{signal} {Pid} 2>/dev/null\n" +
            $"i=0; while kill -0 {Pid} 2>/dev/null; do i=$((i+1)); [ $i -ge 100 ] && {{ kill -9 {Pid}; break; }}; sleep 0.05; done\n" +
            $"rm -f {_log}\n" + then;
        return await _shell.RunAsync(new RemoteCommand(script), $"stop {_what}", Short, ct);
    }
}

/// <summary>A job on a host would not start; the message names the host, the job and what it printed.</summary>
public sealed class RemoteJobException(string message) : Exception(message);
