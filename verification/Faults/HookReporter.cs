using Testbed.Engine;
using Testbed.Resources;

namespace Verification.Faults;

/// <summary>
/// Records what the engine reports, and calls <paramref name="once"/> at the first step it reports: the moment
/// between reading the hosts and sending the first command, when a test cuts the network.
/// </summary>
public sealed class HookReporter(Action<Step> once) : IReporter
{
    int _fired;

    public RecordingReporter Recorded { get; } = new();

    public void Progress(string message) => Recorded.Progress(message);

    public void Warn(string message) => Recorded.Warn(message);

    public void StepDone(Step step, Outcome outcome, string? detail)
    {
        if (Interlocked.Exchange(ref _fired, 1) == 0) once(step);
        Recorded.StepDone(step, outcome, detail);
    }

    /// <summary>Every line the engine reported, for the secret tests' search.</summary>
    public string Text => string.Join("\n", Recorded.Messages.Concat(
        Recorded.Steps.Select(s => $"{s.Step.Host} {s.Step.Id.Kind.Name} {s.Step.Id.Name} {s.Outcome} {s.Detail}")));
}
