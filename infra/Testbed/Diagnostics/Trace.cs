using System.Diagnostics;

namespace Testbed.Diagnostics;

/// <summary>Phase timings on stderr when <c>TESTBED_TRACE=1</c>: where a run spends its time.</summary>
public static class Trace
{
    static readonly bool On = Environment.GetEnvironmentVariable("TESTBED_TRACE") == "1";
    static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Mark(string what)
    {
        if (On) Console.Error.WriteLine($"[trace {Clock.Elapsed.TotalMilliseconds,7:0} ms] {what}");
    }
}
