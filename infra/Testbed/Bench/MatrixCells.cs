namespace Testbed.Bench;

/// <summary>One cell to measure and the experiments that asked for it (plain IP added as a reference asks for itself).</summary>
public sealed record ScheduledCell(CellKey Key, IReadOnlyList<string> Experiments);

/// <summary>
/// Expands a matrix into the cells to measure: the union of its experiments, each cell once (by its full key), plus
/// plain IP wherever a group measures IPsec at a size without it, so every cell has a same-run ratio. Then orders them
/// so the hosts change as little as possible between cells: MTU outermost (on the local testbed a new MTU reboots the
/// guests), the stack's current MTU first; then tuning, link, mode, protection (plain first: a new suite replaces the
/// SAs), message size innermost.
/// </summary>
public static class MatrixCells
{
    public static IReadOnlyList<ScheduledCell> Expand(BenchMatrix matrix, int hostMaxMtu, int startMtu)
    {
        var cells = new Dictionary<CellKey, List<string>>();
        void Add(CellKey key, string experiment)
        {
            if (!cells.TryGetValue(key, out var list)) cells[key] = list = [];
            if (!list.Contains(experiment)) list.Add(experiment);
        }

        foreach (var e in matrix.Experiments)
            foreach (var (tuning, mtu) in e.Settings(hostMaxMtu))
                foreach (var link in e.Links)
                    foreach (var mode in e.Modes)
                        foreach (var c in e.Cases)
                            foreach (var size in e.MessageSizes)
                                Add(new CellKey(c, mode, size, link, mtu, tuning), e.Name);

        foreach (var key in cells.Keys.Where(k => !k.IsPlain).Select(k => k.PlainReference).Distinct().ToList())
            if (!cells.ContainsKey(key)) Add(key, "plain reference");

        return Order(cells.Select(kv => new ScheduledCell(kv.Key, kv.Value)), startMtu, matrix.Experiments.SelectMany(e => e.Cases).ToList());
    }

    /// <summary>The measuring order (see the class summary). Protections keep the order the matrix first names them in.</summary>
    public static IReadOnlyList<ScheduledCell> Order(IEnumerable<ScheduledCell> cells, int startMtu, IReadOnlyList<string>? caseOrder = null)
    {
        int CaseRank(string p) => p == "plain" ? -1 : caseOrder?.IndexOf(p) is { } i and >= 0 ? i : int.MaxValue;
        return cells
            .OrderBy(c => c.Key.Mtu == startMtu ? 0 : 1).ThenBy(c => c.Key.Mtu)
            .ThenBy(c => TuningRank(c.Key.Tuning))
            .ThenBy(c => LinkRank(c.Key.Link))
            .ThenBy(c => c.Key.Mode == "tunnel" ? 0 : 1)
            .ThenBy(c => CaseRank(c.Key.Protection)).ThenBy(c => c.Key.Protection, StringComparer.Ordinal)
            .ThenBy(c => c.Key.MessageSize)
            .ToList();
    }

    static int TuningRank(string t) => TuningLevels.All.ToList().IndexOf(t);

    /// <summary>Slowest first; unshaped (whatever the wire gives) last.</summary>
    public static int LinkRank(string link) => Model.Link.Parse(link)?.RateMbit ?? int.MaxValue;

    static int IndexOf(this IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }
}
