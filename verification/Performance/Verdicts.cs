using NUnit.Framework;

namespace Verification.Performance;

/// <summary>Turns a case's verdict into the test outcome, with a message that names suite, metric, values, shift and threshold.</summary>
public static class Verdicts
{
    public static void AssertHolds(CaseVerdict verdict)
    {
        var run = TestbedRun.Context;
        if (run.Settings.Record)
            Assert.Ignore($"recording the baseline of stack {run.Settings.Stack} (TESTBED_RECORD_BASELINE={run.Settings.RecordPasses}): {verdict.Subject} not compared");
        if (verdict.Problems.Count > 0)
            Assert.Fail(string.Join(Environment.NewLine, verdict.Problems) + Environment.NewLine +
                        $"record a baseline with TESTBED_STACK={run.Settings.Baseline} TESTBED_PROFILE={run.Profile.Name} TESTBED_RECORD_BASELINE=3 " +
                        "dotnet test verification/Verification.csproj (docs/thresholds.md)");
        if (verdict.ShownOnly)
            Assert.Ignore($"{verdict.Subject} against {verdict.Against}: not judged alone on a shared machine against another day's recording " +
                          "(the IPsec suites are judged pooled; docs/thresholds.md#metrics); shown: " + string.Join("; ",
                              verdict.Reported.Select(c => c.Describe(verdict.Subject, UnitOf(c.Metric))).Concat(verdict.ReportedProblems)));
        var lines = verdict.Checks.Select(c => c.Describe($"{verdict.Subject} against {verdict.Against}", UnitOf(c.Metric))).ToList();
        if (!verdict.Passed)
        {
            var failed = verdict.Failed.Select(c => c.Describe($"{verdict.Subject} against {verdict.Against}", UnitOf(c.Metric))).ToList();
            if (run.KernelChange is { } change) failed.Add(change);
            Assert.Fail(string.Join(Environment.NewLine, failed));
        }
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }

    static string UnitOf(string metric) => metric.StartsWith("CPU", StringComparison.Ordinal) ? Metric.Cpu.Unit
        : metric.StartsWith("throughput ratio", StringComparison.Ordinal) ? "" : metric.StartsWith("throughput", StringComparison.Ordinal) ? "Mbit/s" : "";
}
