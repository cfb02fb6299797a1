namespace Testbed.Engine;

/// <summary>The outcome of one step, in Ansible's words.</summary>
public enum Outcome { Ok, Changed, Replaced, Deleted, Skipped, Failed }

/// <summary>Where the engine tells what it does. The console prints it; tests collect it.</summary>
public interface IReporter
{
    /// <summary>A line of progress on long work (booting guests, building an image, installing packages).</summary>
    void Progress(string message);

    void Warn(string message);

    void StepDone(Step step, Outcome outcome, string? detail);
}

/// <summary>Keeps everything it is told; for tests and for callers that print a summary of their own.</summary>
public sealed class RecordingReporter : IReporter
{
    readonly object _gate = new();
    public List<string> Messages { get; } = [];
    public List<(Step Step, Outcome Outcome, string? Detail)> Steps { get; } = [];

    public void Progress(string message) { lock (_gate) Messages.Add(message); }
    public void Warn(string message) { lock (_gate) Messages.Add("warning: " + message); }
    public void StepDone(Step step, Outcome outcome, string? detail) { lock (_gate) Steps.Add((step, outcome, detail)); }
}
