using Testbed.Providers;
using Testbed.Resources;

namespace Testbed.Engine;

/// <summary>One setting (or host) that no longer reads as the last <c>up</c> left it.</summary>
/// <param name="Expected">What the host should read: the value applied, or what its driver settled on.</param>
public sealed record Drift(string Host, string Kind, string Name, Fields? Expected, Fields? Live, string Why);

/// <summary>
/// The one place that decides drift: what a managed setting should read back after the last <c>up</c>, and whether the
/// host still has it. <c>up</c> (through the planner), <c>refresh</c> and <c>status</c> all ask here.
/// </summary>
public static class DriftDetector
{
    /// <summary>What a record should read back: the driver's rounding of the applied value where there was one.</summary>
    public static Fields? Expected(ResourceRecord rec) => rec.Settled ?? rec.Applied;

    /// <summary>Why a live reading differs from what the last up left (null when it does not).</summary>
    public static string? Of(ResourceRecord rec, Reading live) =>
        rec.Status != RecordStatus.Applied ? "a change was interrupted"
        : Fields.Same(live.Value, Expected(rec)) ? null
        : string.Join("; ", Fields.Diff(Expected(rec), live.Value));

    /// <summary>
    /// The drift of a whole stack: every managed setting on the hosts that can be read, plus what is wrong with a host
    /// as a whole. A host that is down, or that the inventory no longer has (renamed or removed), cannot be read: it
    /// is reported once, and its settings stay recorded. A host whose boot id changed since the last up rebooted.
    /// </summary>
    public static IReadOnlyList<Drift> Find(StackState state, Topology topology, IReadOnlyDictionary<string, HostReading> readings)
    {
        var drift = new List<Drift>();
        foreach (var host in state.Resources.Select(r => r.Host).Distinct().Where(h => !Readable(topology, h)))
            drift.Add(new Drift(host, "host", "(all)", null, null,
                topology.Down.Contains(host) ? $"{host} is not running" : $"{host} is no longer in the inventory; its settings stay recorded"));
        foreach (var rec in state.Resources.Where(r => Readable(topology, r.Host)))
        {
            var resource = rec.Rehydrate();
            var live = readings[rec.Host].Readings[resource.Urn];
            if (Of(rec, live) is { } why) drift.Add(new Drift(rec.Host, rec.Kind.Name, resource.Name, Expected(rec), live.Value, why));
        }
        foreach (var (host, rec) in state.Hosts)
            if (readings.GetValueOrDefault(host)?.BootId is { } boot && rec.BootId is { } known && boot != known)
                drift.Add(new Drift(host, "host", "boot", null, null, $"{host} rebooted since the last up"));
        return drift;
    }

    /// <summary>A host whose settings can be read now: in the inventory and running.</summary>
    public static bool Readable(Topology topology, string host) =>
        topology.Gateways.Any(g => g.Name == host) && !topology.Down.Contains(host);
}
