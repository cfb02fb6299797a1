using Testbed.Resources;

namespace Testbed.Engine;

/// <summary>
/// Desired versus recorded versus live: decides, for every resource, whether it is fine as it is, or must be
/// created, updated in place, replaced or put back as found. Pure: it reads nothing and changes nothing.
/// </summary>
public static class Planner
{
    /// <param name="readings">Live readings by URN; a missing entry means the host could not be read.</param>
    public static Plan Plan(IReadOnlyList<Resource> desired, StackState state, IReadOnlyDictionary<string, Reading> readings)
    {
        var steps = new List<Step>();
        var errors = new List<string>();

        // Policies before the SAs they use, routes before addresses, …: each kind has its teardown rank.
        var orphans = state.Orphans(desired.Select(r => r.Id))
            .OrderBy(rec => rec.Kind.TeardownRank)
            .Select(rec => (rec, id: rec.Rehydrate())).ToList();
        // When a live IKE child SA goes (keying changed from ikev2 to manual), closing it takes the daemons' policies off
        // both gateways before anything is created. The kernel holds one policy per selector and direction, so a policy
        // live where a manual one goes is the daemons' then, and no collision. (Their SAs have SPIs of their own.)
        var ikeClosed = orphans.Any(o => o.rec.Kind.HoldsKernelIpsec && readings.GetValueOrDefault(o.id.Urn) is { IsAbsent: false });

        foreach (var r in TopologicalOrder(desired))
        {
            var rec = state.Find(r.Urn);
            var live = readings.GetValueOrDefault(r.Urn);
            steps.Add(r.Kind == ResourceKind.XfrmPolicy && ikeClosed && rec is null
                ? new Step(r, Change.Create, null, rec, "in place of the IKE daemon's, closed first")
                : Decide(r, rec, live, errors));
        }

        var deletes = new List<Step>();
        foreach (var (rec, id) in orphans)
        {
            // A value now fixed at something other than what the tool applied is out of its hands: nothing to put back.
            var live = readings.GetValueOrDefault(id.Urn)?.Against(rec.Applied);
            var note = live is null ? "host not running" : live.Unsupported is not null || Fields.Same(live.Value, rec.Original) ? "already as found" : null;
            deletes.Add(new Step(id, null, Change.Delete, live, rec, note));
        }
        // Take away what is no longer declared first: a stale policy must not outlive its SA.
        return new Plan([.. deletes, .. Renew(PairUp(steps))], errors);
    }

    /// <summary>A resource renewed with its dependencies is replaced when one of them changes (a child SA after its connection).</summary>
    static List<Step> Renew(List<Step> steps)
    {
        var changed = steps.Where(s => s.Change is Change.Create or Change.Replace or Change.Update).Select(s => s.Id.Urn).ToHashSet();
        return steps.Select(s => s.Change == Change.None && s.Declared is { RenewedWithDependencies: true } d && d.DependsOn.Any(changed.Contains)
            ? s with { Change = Change.Replace, Note = "negotiated again: what it depends on changed" }
            : s).ToList();
    }

    /// <summary>When one half of a pair is (re)created, the other half that is fine on its own is replaced with it.</summary>
    static List<Step> PairUp(List<Step> steps)
    {
        var renewed = steps.Where(s => s.Change is Change.Create or Change.Replace)
            .Select(s => s.Declared?.PairKey).OfType<string>().ToHashSet();
        return steps.Select(s => s.Change == Change.None && s.Declared?.PairKey is { } key && renewed.Contains(key)
            ? s with { Change = Change.Replace, Note = "renewed with its peer's copy (a fresh SA restarts its sequence numbers)" }
            : s).ToList();
    }

    static Step Decide(Resource r, ResourceRecord? rec, Reading? live, List<string> errors)
    {
        if (live is null) return new Step(r, Change.Create, null, rec, "host not running yet");
        live = live.Against(r.Desired);
        if (live.Unsupported is { } why)
        {
            if (r.BestEffort) return new Step(r, Change.Skip, live, rec, $"skipped: {why}");
            errors.Add($"{r.Host}: {r.Kind.Name} {r.Name}: {why}");
            return new Step(r, Change.Skip, live, rec, why);
        }
        var want = r.Desired;
        if (Fields.Same(live.Value, want)) return new Step(r, Change.None, live, rec);
        // The driver rounded what was applied (coalescing in jiffies): as declared, as long as the host still reads what it settled on.
        if (rec is { Settled: not null } && Fields.Same(rec.Applied, want) && DriftDetector.Of(rec, live) is null)
            return new Step(r, Change.None, live, rec, $"{live.Value} (the driver's rounding of {want})");
        if (rec is null && r.Exclusive && live.Value is not null)
        {
            errors.Add($"{r.Host}: {r.Kind.Name} {r.Name} exists already and was not created by this stack; " +
                       "remove it, or change the stack so that it does not collide");
            return new Step(r, Change.Skip, live, rec, "conflict");
        }
        if (live.Value is null) return new Step(r, Change.Create, live, rec);
        return new Step(r, r.ChangeFrom(live.Value), live, rec);
    }

    /// <summary>Declaration order, except that a resource waits for those it depends on.</summary>
    public static IReadOnlyList<Resource> TopologicalOrder(IReadOnlyList<Resource> resources)
    {
        var byUrn = resources.ToDictionary(r => r.Urn);
        var done = new HashSet<string>();
        var visiting = new HashSet<string>();
        var order = new List<Resource>();
        void Visit(Resource r)
        {
            if (done.Contains(r.Urn)) return;
            if (!visiting.Add(r.Urn)) throw new InvalidOperationException($"dependency cycle at {r.Urn}");
            foreach (var dep in r.DependsOn)
                if (byUrn.TryGetValue(dep, out var d)) Visit(d);
            visiting.Remove(r.Urn);
            done.Add(r.Urn);
            order.Add(r);
        }
        foreach (var r in resources) Visit(r);
        return order;
    }
}
