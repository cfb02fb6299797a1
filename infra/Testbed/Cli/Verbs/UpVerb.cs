using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Testbed.Engine;

namespace Testbed.Cli.Verbs;

/// <summary><c>up</c>: boot what is not running, then apply every setting that differs from the stack.</summary>
public static class UpVerb
{
    public static Command Build()
    {
        var stack = Verb.StackOption();
        var yes = Verb.YesOption("Apply the changes");
        var cmd = new Command("up", "Create or update the testbed: bring the hosts up and apply every setting that differs") { stack, yes };
        cmd.SetAction((pr, ct) => Verb.Guard(() => Run(pr.GetValue(stack)!, pr.GetValue(yes), ct)));
        return cmd;
    }

    static async Task<int> Run(string stack, bool yes, CancellationToken ct)
    {
        var console = Verb.Console;
        var clock = Stopwatch.StartNew();
        await using var d = Verb.Open(stack, "up");
        if (!yes)
        {
            await PreviewVerb.Show(d, console, ct);
            if (!Verb.Confirm("Do you want to perform this update?", yes)) return Exit.Ok;
        }
        console.MarkupLineInterpolated($"Updating ([bold]{stack}[/]):");
        var (_, result) = await d.UpAsync(null, ct);
        Summarize(console, result, clock.Elapsed);
        return result.Failed ? Exit.Failed : Exit.Ok;
    }

    public static void Summarize(IAnsiConsole console, ApplyResult result, TimeSpan elapsed)
    {
        foreach (var host in result.Outcomes.GroupBy(o => o.Step.Host))
        {
            var parts = host.GroupBy(o => o.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Count()} {ConsoleReporter.Word(g.Key)}");
            console.MarkupLineInterpolated($"  {host.Key}: {string.Join(", ", parts)}");
        }
        console.MarkupLine(result.Failed ? "[red]failed[/]: see the lines marked failed above; the state holds every step that finished"
            : result.Changed ? "[yellow]changed[/]" : "[green]no changes[/]: every setting is as the stack declares");
        console.MarkupLineInterpolated($"Duration: {elapsed.TotalSeconds:0.00}s");
    }
}
