using Spectre.Console;
using Testbed.Engine;
using Testbed.Resources;

namespace Testbed.Cli;

/// <summary>Prints a plan the way Pulumi's preview does: one line per change, a summary of the rest.</summary>
public static class PlanView
{
    public static void Print(IAnsiConsole console, Plan plan, IReadOnlyList<string> providerWork, bool showSame = false)
    {
        foreach (var work in providerWork)
            console.MarkupLineInterpolated($"  [cyan]+ {work}[/]");
        // Slots and algorithms only: the keys themselves do not exist until up makes and writes them.
        foreach (var slot in plan.NewKeys)
            console.MarkupLineInterpolated($"  [cyan]+ generate key {slot} (kept encrypted in the stack's folder)[/]");
        foreach (var step in plan.Steps.Where(s => showSame || s.ChangesSomething || s.Change == Change.Skip))
        {
            var (word, color) = step.Change switch
            {
                Change.Create => ("create", "green"),
                Change.Update => ("update", "yellow"),
                Change.Replace => ("replace", "magenta"),
                Change.Delete => ("restore", "blue"),
                Change.Skip => ("skip", "grey"),
                _ => ("same", "grey"),
            };
            console.MarkupLine(ConsoleReporter.Line(step.Id, word, color, step.Detail));
        }
        foreach (var error in plan.Errors)
            console.MarkupLineInterpolated($"  [red]error: {error}[/]");
        console.MarkupLineInterpolated($"Resources: {plan.Summary}");
    }
}
