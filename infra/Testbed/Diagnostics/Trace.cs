using System.Diagnostics;

namespace Testbed.Diagnostics;

/// <summary>
/// Phase timings on stderr when <c>TESTBED_TRACE=1</c>: where a run spends its time. Each line gives the wall time since
/// the process started (so the runtime's own start-up shows before the first mark), the CPU time used so far, and the
/// methods JIT-compiled so far (what ReadyToRun did not cover) with the time that took.
/// <c>TESTBED_TRACE_DIR</c> also keeps each host's composed read script there (<c>&lt;host&gt;.read.sh</c>), so the reads can be
/// replayed outside the tool (infra/benchmarks/noop-up-vs-floor.sh does).
/// </summary>
public static class Trace
{
    static readonly bool On = Environment.GetEnvironmentVariable("TESTBED_TRACE") == "1";
    static readonly string? Dir = Environment.GetEnvironmentVariable("TESTBED_TRACE_DIR") is { Length: > 0 } d ? d : null;
    static readonly Stopwatch Clock = Stopwatch.StartNew();
    static readonly double SinceStart = On ? MsSinceProcessStart() : 0;

    public static void Mark(string what)
    {
        if (!On) return;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var jit = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        Console.Error.WriteLine($"[trace {SinceStart + Clock.Elapsed.TotalMilliseconds,7:0} ms, cpu {cpu,5:0} ms, jit {System.Runtime.JitInfo.GetCompiledMethodCount(),4} methods {jit,4:0} ms] {what}");
    }

    /// <summary>A mark about one host (or other subject), formatted only when tracing.</summary>
    public static void Mark(string subject, string what)
    {
        if (On) Mark($"{subject}: {what}");
    }

    /// <summary>Keeps a host's read script under <c>TESTBED_TRACE_DIR</c>, when set. Read scripts hold no secrets; redacted all the same.</summary>
    public static void Script(string host, string name, string script)
    {
        if (Dir is null) return;
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, $"{host}.{name}.sh"), Secrets.Redactor.Redact(script));
    }

    /// <summary>How long ago the process started, from /proc (clock ticks of 10 ms); 0 where that is not readable.</summary>
    static double MsSinceProcessStart()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var startedMs = double.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture) * 10;
            var uptimeMs = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1000;
            return Math.Max(0, uptimeMs - startedMs - Clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
