using System.CommandLine;
using Spectre.Console;
using Testbed.Engine;
using Testbed.Providers;
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
        var resources = d.State.Resources.Where(r => Readable(topology, r.Host)).Select(r => r.Rehydrate()).ToList();
        return Compare(d.State, topology, await d.ReadAsync(resources, ct));
    }

    static bool Readable(Topology topology, string host) =>
        topology.Gateways.Any(g => g.Name == host) && !topology.Down.Contains(host);

    /// <summary>
    /// The drift between what the state recorded and what was read. A host that is down, or that the inventory no longer
    /// has (renamed or removed), cannot be read: it is reported once, and its settings stay recorded.
    /// </summary>
    internal static IReadOnlyList<Drift> Compare(StackState state, Topology topology, IReadOnlyDictionary<string, HostReading> readings)
    {
        var drift = new List<Drift>();
        foreach (var host in state.Resources.Select(r => r.Host).Distinct().Where(h => !Readable(topology, h)))
            drift.Add(new Drift(host, "host", "(all)", null, null,
                topology.Down.Contains(host) ? $"{host} is not running" : $"{host} is no longer in the inventory; its settings stay recorded"));
        foreach (var rec in state.Resources.Where(r => Readable(topology, r.Host)))
        {
            var resource = rec.Rehydrate();
            var live = readings[rec.Host].Readings[resource.Urn];
            var expected = rec.Settled ?? rec.Applied;
            if (rec.Status != "applied")
                drift.Add(new Drift(rec.Host, rec.Kind.Name, resource.Name, expected, live.Value, "a change was interrupted"));
            else if (!Fields.Same(live.Value, expected))
                drift.Add(new Drift(rec.Host, rec.Kind.Name, resource.Name, expected, live.Value,
                    string.Join("; ", Fields.Diff(expected, live.Value))));
        }
        foreach (var (host, rec) in state.Hosts)
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
