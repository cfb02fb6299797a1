namespace Verification.Performance;

/// <summary>One stay on one suite under one side's declaration: provisioned once, then sampled round after round.</summary>
/// <param name="Number">The visit's number on its side, from 1.</param>
public sealed record Visit(Side Side, int Number, SuiteCase Suite)
{
    public override string ToString() => $"{Suite}{(Side == Side.Reference ? " (reference)" : "")} visit {Number}";
}

/// <summary>
/// The order of a run's visits. Every suite is visited on each side the same number of times, spread over the run so
/// that the machine's drift (a neighbour's build, a warm cache) falls on both sides alike. With a reference to measure
/// beside the stack, the sides alternate in mirrored blocks, stack, reference, reference, stack (B A A B): a linear drift
/// then costs both sides the same. The run begins and ends on the stack's side because the hosts are on it before the
/// run and go back to it after: every switch of sides is an `up` of the other declaration, and an MTU switch reboots
/// the local guests (a visit that does took 30 s instead of 22 s, 2026-12-06), so A B B A would pay two switches more,
/// one at the start and one putting the stack back, for the same balance.
/// Within a block the suites come in a random order, which the seed makes repeatable.
/// </summary>
public static class Schedule
{
    /// <param name="withReference">The reference is measured in this run (its declaration differs from the stack's).</param>
    /// <param name="visitsPerSide">Blocks per side; every suite once per block.</param>
    public static IReadOnlyList<Visit> Plan(IReadOnlyList<SuiteCase> suites, bool withReference, int visitsPerSide, int seed)
    {
        var rng = new Random(seed);
        var blocks = new List<Side>();
        for (var i = 0; i < visitsPerSide; i++)
        {
            if (!withReference) blocks.Add(Side.Stack);
            else if (i % 2 == 0) blocks.AddRange([Side.Stack, Side.Reference]);
            else blocks.AddRange([Side.Reference, Side.Stack]);
        }
        var numbers = new Dictionary<Side, int>();
        var visits = new List<Visit>();
        foreach (var side in blocks)
        {
            var n = numbers[side] = numbers.GetValueOrDefault(side) + 1;
            visits.AddRange(suites.OrderBy(_ => rng.Next()).Select(s => new Visit(side, n, s)));
        }
        return visits;
    }
}
