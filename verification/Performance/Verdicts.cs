using NUnit.Framework;
using Testbed.Measurement;

namespace Verification.Performance;

/// <summary>Turns a case's verdict into the test outcome, with a message that names suite, value, baseline and tolerance.</summary>
public static class Verdicts
{
    public static void AssertHolds(CaseResult result)
    {
        var run = TestbedRun.Context;
        if (run.Settings.Record)
            Assert.Ignore($"recording the baseline of stack {run.Settings.Stack} (TESTBED_RECORD_BASELINE={run.Settings.RecordPasses}): {result.Key} not compared");

        var verdict = run.Judge(result);
        var suite = $"{result.Key.Protection} ({result.Label}) {result.Key.Mode} {result.Key.MessageSize} B" +
                    (result.Key.Mtu != run.BaselineMtu ? $" at MTU {result.Key.Mtu}" : "");
        if (verdict.Baseline is null)
            Assert.Fail($"{suite}: no baseline in {run.BaselineName} for profile {result.Key.Profile}; record one with " +
                                        $"TESTBED_STACK={run.Settings.Baseline} TESTBED_PROFILE={run.Profile.Name} TESTBED_RECORD_BASELINE=1 dotnet test verification/Verification.csproj");
        var failures = verdict.Problems.Concat(verdict.Failed.Select(c => c.Describe(suite, run.BaselineName))).ToList();
        if (failures.Count > 0) Assert.Fail(string.Join(Environment.NewLine, failures));
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, verdict.Checks.Select(c =>
            $"{c.Metric}: {c.Measured:0.####} vs baseline {c.Baseline:0.####} ({c.Change:+0%;-0%}), tolerance {Tolerance.Pct(c.Tolerance.Value)}")));
    }
}
