using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace Testbed.Cli.Verbs;

/// <summary><c>destroy</c>: every host back as found; the local testbed's guests, namespace and forwards gone.</summary>
public static class DestroyVerb
{
    public static Command Build()
    {
        var stack = Verb.StackOption();
        var yes = Verb.YesOption("Destroy");
        var cmd = new Command("destroy", "Put every setting back as it was before the first up, and remove the local testbed") { stack, yes };
        cmd.SetAction((pr, ct) => Verb.Guard(async () =>
        {
            var console = Verb.Console;
            var clock = Stopwatch.StartNew();
            var name = pr.GetValue(stack)!;
            await using var d = Verb.Open(name, "destroy");
            if (!Verb.Confirm($"Destroy stack '{name}' ({d.State.Resources.Count} managed settings)?", pr.GetValue(yes))) return Exit.Ok;
            console.MarkupLineInterpolated($"Destroying ([bold]{name}[/]):");
            var managed = d.State.Resources.Count;
            var result = await d.DestroyAsync(ct);
            if (result.Failed || (!d.Provider.Traits.BootsHosts && d.State.Resources.Count > 0))
            {
                UpVerb.Summarize(console, result, clock.Elapsed);
                console.MarkupLine("[red]some settings could not be put back; the state keeps them, run destroy again[/]");
                return Exit.Failed;
            }
            d.Forget();
            console.MarkupLine(d.Provider.Traits.BootsHosts
                ? $"[green]destroyed[/]: the guests are gone and their {managed} settings with them; namespace, forwards and stack state removed"
                : $"[green]destroyed[/]: {result.Count(Engine.Outcome.Deleted)} settings restored, {result.Count(Engine.Outcome.Ok)} already as found; stack state removed");
            console.MarkupLineInterpolated($"Duration: {clock.Elapsed.TotalSeconds:0.00}s");
            return Exit.Ok;
        }));
        return cmd;
    }
}
