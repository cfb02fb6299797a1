using System.Diagnostics;
using System.Text;

namespace Verification.Support;

/// <summary>One finished run of the testbed CLI, as a user would have seen it.</summary>
public sealed record CliResult(IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool Killed, bool TimedOut)
{
    public string Output => Stdout + Stderr;

    /// <summary>For assertion messages: the command, how it ended, and its output with every known key blanked.</summary>
    public override string ToString() =>
        $"testbed {string.Join(' ', Args)} -> exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s" +
        (Killed ? " (killed)" : "") + (TimedOut ? " (timed out)" : "") + "\n" + KeyScrub.Scrub(Output);
}

/// <summary>
/// Runs the built CLI (<c>dotnet testbed.dll</c>, copied next to this assembly by the project reference) as a child
/// process in the throw-away project folder, exactly as a user would. Every run's output is kept in
/// <see cref="Transcript"/> so that the secret tests can search all of it afterwards.
/// </summary>
public sealed class Cli(string projectDir, IReadOnlyDictionary<string, string?> environment)
{
    /// <summary>Variables of the surrounding shell that would steer the child elsewhere; each run sets its own.</summary>
    static readonly string[] Inherited = ["TESTBED_STACK", "TESTBED_ROOT", "TESTBED_TRACE", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"];

    static readonly List<string> Texts = [];
    static int _runs;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "testbed.dll");

    /// <summary>Every stdout and stderr of every run so far (and any other text handed to <see cref="Record"/>).</summary>
    public static IReadOnlyList<string> Transcript
    {
        get { lock (Texts) return Texts.ToList(); }
    }

    public static int Runs => Volatile.Read(ref _runs);

    public static void Record(string text)
    {
        lock (Texts) Texts.Add(text);
    }

    public static string DotnetHost()
    {
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") return Environment.ProcessPath!;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    public async Task<CliResult> RunAsync(IReadOnlyList<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null)
    {
        var run = Start(args, stdin, env);
        return await run.WaitAsync(timeout ?? TimeSpan.FromMinutes(5));
    }

    /// <param name="onLine">Called with each stdout line as it arrives (on a pool thread); may kill the run.</param>
    public CliProcess Start(IReadOnlyList<string> args, string? stdin = null, IReadOnlyDictionary<string, string?>? env = null,
        Action<string, CliProcess>? onLine = null)
    {
        // Through env(1) with SIGINT at its default, as at a terminal: a test suite started in the background of a
        // non-interactive shell (`dotnet test ... &`, nohup) inherits SIGINT ignored, the runtime then keeps it ignored,
        // and a Ctrl-C sent to the child would be lost. env execs the host, so the child's pid is the CLI's.
        var psi = new ProcessStartInfo("/usr/bin/env")
        {
            WorkingDirectory = projectDir,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=INT");
        psi.ArgumentList.Add(DotnetHost());
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in Inherited) psi.Environment.Remove(name);
        foreach (var (k, v) in environment.Concat(env ?? new Dictionary<string, string?>()))
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        Interlocked.Increment(ref _runs);
        return new CliProcess(args, psi, stdin, onLine);
    }
}

/// <summary>A CLI run in progress: its pid, its stdout line by line, and a SIGKILL at the caller's moment.</summary>
public sealed class CliProcess
{
    readonly Process _process;
    readonly IReadOnlyList<string> _args;
    readonly StringBuilder _out = new(), _err = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();
    volatile bool _killed;

    internal CliProcess(IReadOnlyList<string> args, ProcessStartInfo psi, string? stdin, Action<string, CliProcess>? onLine)
    {
        _args = args;
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_out) _out.Append(e.Data).Append('\n');
            onLine?.Invoke(e.Data, this);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_err) _err.Append(e.Data).Append('\n');
        };
        _process.Start();
        Pid = _process.Id;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // A closed stdin makes the CLI non-interactive: it never waits for a "yes".
        if (stdin is not null) _process.StandardInput.Write(stdin);
        _process.StandardInput.Close();
    }

    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as the kernel's OOM killer or a power cut would end it: no handler of the tool runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
            _killed = true;
        }
        catch (InvalidOperationException) { }   // it had exited already
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                Kill();
                await _process.WaitForExitAsync();
            }
        }
        string stdout, stderr;
        lock (_out) stdout = _out.ToString();
        lock (_err) stderr = _err.ToString();
        Cli.Record(stdout);
        Cli.Record(stderr);
        var exit = _process.ExitCode;
        _process.Dispose();
        return new CliResult(_args, exit, stdout, stderr, _clock.Elapsed, _killed, timedOut);
    }
}
