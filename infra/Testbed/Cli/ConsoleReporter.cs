using Spectre.Console;
using Testbed.Engine;
using Testbed.Resources;

namespace Testbed.Cli;

/// <summary>Prints the engine's progress and each step's outcome as one aligned line, Ansible's words in Pulumi's layout.</summary>
public sealed class ConsoleReporter(IAnsiConsole console) : IReporter
{
    readonly object _gate = new();
    public bool Quiet { get; init; }

    public void Progress(string message)
    {
        lock (_gate) console.MarkupLineInterpolated($"[grey]  ··· {message}[/]");
    }

    public void Warn(string message)
    {
        lock (_gate) console.MarkupLineInterpolated($"[yellow]  warning: {message}[/]");
    }

    public void StepDone(Step step, Outcome outcome, string? detail)
    {
        if (Quiet && outcome is Outcome.Ok or Outcome.Skipped) return;
        var (word, color) = outcome switch
        {
            Outcome.Ok => ("ok", "green"),
            Outcome.Changed => ("changed", "yellow"),
            Outcome.Replaced => ("replaced", "magenta"),
            Outcome.Deleted => ("restored", "blue"),
            Outcome.Skipped => ("skipped", "grey"),
            _ => ("failed", "red"),
        };
        lock (_gate) console.MarkupLine(Line(step.Resource, word, color, outcome is Outcome.Ok ? null : detail));
    }

    public static string Line(Resource r, string word, string color, string? detail) =>
        $"  {Markup.Escape(r.Host),-6} {Markup.Escape(r.Kind),-16} {Markup.Escape(r.Name),-44} [{color}]{word,-9}[/] {Markup.Escape(Secrets.Redactor.Redact(detail ?? ""))}";
}
