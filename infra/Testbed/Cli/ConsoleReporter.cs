using Spectre.Console;
using Testbed.Engine;
using Testbed.Resources;

namespace Testbed.Cli;

/// <summary>Prints the engine's progress and each step's outcome as one aligned line, Ansible's words in Pulumi's layout.</summary>
public sealed class ConsoleReporter(IAnsiConsole console) : IReporter
{
    readonly object _gate = new();

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
        var color = outcome switch
        {
            Outcome.Ok => "green",
            Outcome.Changed => "yellow",
            Outcome.Replaced => "magenta",
            Outcome.Deleted => "blue",
            Outcome.Skipped => "grey",
            _ => "red",
        };
        lock (_gate) console.MarkupLine(Line(step.Id, Word(outcome), color, outcome is Outcome.Ok ? null : detail));
    }

    /// <summary>An outcome as the step lines and the summaries name it.</summary>
    public static string Word(Outcome outcome) => outcome switch
    {
        Outcome.Ok => "ok",
        Outcome.Changed => "changed",
        Outcome.Replaced => "replaced",
        Outcome.Deleted => "restored",
        Outcome.Skipped => "skipped",
        _ => "failed",
    };

    public static string Line(ResourceId r, string word, string color, string? detail) =>
        $"  {Markup.Escape(r.Host),-6} {Markup.Escape(r.Kind.Name),-16} {Markup.Escape(r.Name),-44} [{color}]{word,-9}[/] {Markup.Escape(Secrets.Redactor.Redact(detail ?? ""))}";
}
