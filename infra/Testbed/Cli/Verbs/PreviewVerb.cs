using System.CommandLine;
using Spectre.Console;
using Testbed.Engine;

namespace Testbed.Cli.Verbs;

/// <summary><c>preview</c>: what <c>up</c> would do, changing nothing.</summary>
public static class PreviewVerb
{
    public static Command Build()
    {
        var stack = Verb.StackOption();
        var expect = Verb.ExpectNoChangesOption();
        var all = new Option<bool>("--show-same") { Description = "Also list the settings that are already as declared" };
        var cmd = new Command("preview", "Show what up would change, without changing anything") { stack, expect, all };
        cmd.SetAction((pr, ct) => Verb.Guard(async () =>
        {
            await using var d = Verb.Open(pr.GetValue(stack)!, "preview", exclusive: false);
            var changes = await Show(d, Verb.Console, ct, pr.GetValue(all));
            return changes && pr.GetValue(expect) ? Exit.Failed : Exit.Ok;
        }));
        return cmd;
    }

    /// <summary>Prints the preview; true when <c>up</c> would change something.</summary>
    public static async Task<bool> Show(Deployment d, IAnsiConsole console, CancellationToken ct, bool showSame = false)
    {
        console.MarkupLineInterpolated($"Previewing update ([bold]{d.Spec.Stack}[/]):");
        var work = d.Provider.PendingWork(d.Spec);
        await d.ReachAsync(bringUp: false, ct);
        var (plan, _) = await d.PlanAsync(d.Spec, ct);
        PlanView.Print(console, plan, work, showSame);
        return work.Count > 0 || plan.HasChanges || plan.NewKeys.Count > 0 || plan.Errors.Count > 0;
    }
}
