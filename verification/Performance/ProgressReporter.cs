using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Secrets;

namespace Verification.Performance;

/// <summary>The engine's progress on the test console: long work and every step that changed or failed something.</summary>
public sealed class ProgressReporter : IReporter
{
    public static void Line(string message) => TestContext.Progress.WriteLine(Redactor.Redact(message));

    public void Progress(string message) => Line($"  ··· {message}");

    public void Warn(string message) => Line($"  warning: {message}");

    /// <summary>What an apply did, in a few words (every step is in the engine's state and in a failure's message).</summary>
    public static string Summary(ApplyResult result)
    {
        var changed = result.Outcomes.Where(o => o.Outcome is not (Outcome.Ok or Outcome.Skipped)).GroupBy(o => o.Outcome)
            .Select(g => $"{g.Count()} {(g.Key == Outcome.Deleted ? "restored" : g.Key.ToString().ToLowerInvariant())}").ToList();
        return changed.Count == 0 ? "no changes" : string.Join(", ", changed);
    }

    /// <summary>Only failures are printed step by step; a suite switch replaces a dozen settings and says so in one line.</summary>
    public void StepDone(Step step, Outcome outcome, string? detail)
    {
        if (outcome != Outcome.Failed) return;
        var r = step.Id;
        Line($"  {r.Host,-6} {r.Kind.Name,-16} {r.Name,-44} {outcome.ToString().ToLowerInvariant(),-9} {detail}");
    }
}
