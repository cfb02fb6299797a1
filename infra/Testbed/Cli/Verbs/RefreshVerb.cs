using System.CommandLine;
using Spectre.Console;
using Testbed.Engine;
using Testbed.Resources;

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
        var yes = Verb.YesOption("Refresh");
        var cmd = new Command("refresh", "Report drift: settings whose live value differs from what was applied") { stack, expect, yes };
        cmd.SetAction((pr, ct) => Verb.Guard(async () =>
        {
            await using var d = Verb.Open(pr.GetValue(stack)!, "refresh");
            var drift = await Run(d, Verb.Console, ct);
            return drift > 0 && pr.GetValue(expect) ? Exit.Failed : Exit.Ok;
        }));
        return cmd;
    }

    public sealed record Drift(string Host, string Kind, string Name, Fields? Applied, Fields? Live, string Why);

    /// <summary>Compares each managed setting's live value with the value applied; returns the drifted ones.</summary>
    public static async Task<IReadOnlyList<Drift>> Find(Deployment d, CancellationToken ct)
    {
        var topology = await d.ReachAsync(bringUp: false, ct);
        var drift = new List<Drift>();
        foreach (var host in topology.Down.Where(h => d.State.Resources.Any(r => r.Host == h)))
            drift.Add(new Drift(host, "host", "(all)", null, null, $"{host} is not running"));
        var managed = d.State.Resources.Where(r => !topology.Down.Contains(r.Host)).ToList();
        var resources = managed.Select(r => r.Rehydrate()).ToList();
        var readings = await d.ReadAsync(resources, ct);
        foreach (var (rec, resource) in managed.Zip(resources))
        {
            var live = readings[rec.Host].Readings[resource.Urn];
            var expected = rec.Settled ?? rec.Applied;
            if (rec.Status != "applied")
                drift.Add(new Drift(rec.Host, rec.Kind, resource.Name, expected, live.Value, "a change was interrupted"));
            else if (!Fields.Same(live.Value, expected))
                drift.Add(new Drift(rec.Host, rec.Kind, resource.Name, expected, live.Value,
                    string.Join("; ", Fields.Diff(expected, live.Value))));
        }
        foreach (var (host, rec) in d.State.Hosts)
            if (readings.GetValueOrDefault(host)?.BootId is { } boot && rec.BootId is { } known && boot != known)
                drift.Add(new Drift(host, "host", "boot", null, null, $"{host} rebooted since the last up"));
        return drift;
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
