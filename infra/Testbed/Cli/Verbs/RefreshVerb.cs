using System.CommandLine;
using Spectre.Console;
using Testbed.Engine;

namespace Testbed.Cli.Verbs;

/// <summary>
/// <c>refresh</c>: reads every setting the stack manages and reports where the host no longer has what was
/// applied (drift): a hand edit, a reboot, another tool. It changes nothing on the hosts; <c>up</c> repairs.
/// </summary>
public static class RefreshVerb
{
    public static Command Build()
    {
        var stack = Verb.StackOption();
        var expect = Verb.ExpectNoChangesOption();
        var cmd = new Command("refresh", "Report drift: settings whose live value differs from what was applied") { stack, expect };
        cmd.SetAction((pr, ct) => Verb.Guard(async () =>
        {
            await using var d = Verb.Open(pr.GetValue(stack)!, "refresh");
            var drift = await Run(d, Verb.Console, ct);
            return drift > 0 && pr.GetValue(expect) ? Exit.Failed : Exit.Ok;
        }));
        return cmd;
    }

    /// <summary>Reads every managed setting on the hosts that can be read and returns the drift.</summary>
    public static async Task<IReadOnlyList<Drift>> Find(Deployment d, CancellationToken ct)
    {
        var topology = await d.ReachAsync(bringUp: false, ct);
        var resources = d.State.Resources.Where(r => DriftDetector.Readable(topology, r.Host)).Select(r => r.Rehydrate()).ToList();
        return DriftDetector.Find(d.State, topology, await d.ReadAsync(resources, ct));
    }

    static async Task<int> Run(Deployment d, IAnsiConsole console, CancellationToken ct)
    {
        console.MarkupLineInterpolated($"Refreshing ([bold]{d.Spec.Stack}[/]):");
        var drift = await Find(d, ct);
        foreach (var x in drift)
            console.MarkupLineInterpolated($"  {x.Host,-6} {x.Kind,-16} {x.Name,-44} [red]drifted[/]  {x.Why}");
        var total = d.State.Resources.Count;
        console.MarkupLine(drift.Count == 0
            ? $"[green]no drift[/]: all {total} managed settings read back as applied"
            : $"[red]{drift.Count} drifted[/] of {total} managed settings; run up to repair");
        return drift.Count;
    }
}
