using System.Globalization;
using Testbed.Measurement;
using Testbed.Model;

namespace Testbed.Bench;

/// <summary>How two measurements relate once netperf's confidence intervals are taken into account.</summary>
public enum Relation
{
    /// <summary>The first is above the second and their intervals do not overlap.</summary>
    Above,
    /// <summary>The first is below the second and their intervals do not overlap.</summary>
    Below,
    /// <summary>The intervals overlap: the data cannot tell them apart.</summary>
    Overlap,
}

/// <summary>What the data says about one of the paper's claims.</summary>
public enum Verdict { Holds, DoesNotHold, Mixed, WithinNoise, NotMeasured }

/// <summary>One comparison behind a claim: what it compared, how it came out, and the numbers.</summary>
public sealed record Evidence(string What, Verdict Outcome, string Numbers);

/// <summary>One of the paper's claims as this run's data answers it.</summary>
public sealed record Claim(string Statement, string Scope, IReadOnlyList<Evidence> Evidence)
{
    public Verdict Verdict => Findings.Aggregate(Evidence.Select(e => e.Outcome));

    public string Summary
    {
        get
        {
            if (Evidence.Count == 0) return "no cell of this run compares it";
            int Count(Verdict v) => Evidence.Count(e => e.Outcome == v);
            var parts = new List<string>();
            if (Count(Verdict.Holds) > 0) parts.Add($"{Count(Verdict.Holds)} hold");
            if (Count(Verdict.WithinNoise) > 0) parts.Add($"{Count(Verdict.WithinNoise)} within noise");
            if (Count(Verdict.DoesNotHold) > 0) parts.Add($"{Count(Verdict.DoesNotHold)} against");
            return $"{Evidence.Count} comparison{(Evidence.Count == 1 ? "" : "s")}: {string.Join(", ", parts)}";
        }
    }
}

/// <summary>A suite's throughput in one condition, with its ratio to plain IP.</summary>
public sealed record RankRow(int Rank, string Protection, string Label, Estimate Throughput, Estimate? Ratio, bool TiedWithNext);

/// <summary>One step of the ablation for one suite and size: its throughput and the gain over the step before.</summary>
public sealed record StepGain(string Step, Estimate Throughput, double? GainPct, Relation? VersusPrevious);

public sealed record GainRow(string Protection, string Label, int MessageSize, IReadOnlyList<StepGain?> Steps);

/// <summary>Tunnel against transport for one suite and size.</summary>
public sealed record ModeRow(string Protection, string Label, int MessageSize, Estimate Tunnel, Estimate Transport, double DifferencePct, Relation Relation);

/// <summary>Throughput at the first and at each larger MTU of the MTU experiment, for one suite.</summary>
public sealed record MtuRow(string Protection, string Label, IReadOnlyList<(int Mtu, Estimate Throughput)> Points);

/// <summary>Everything the report's findings section states, computed from the cells (nothing typed in).</summary>
public sealed record FindingsData(
    string? RankingCondition,
    IReadOnlyList<RankRow> Ranking,
    IReadOnlyList<string> RankingOtherLinks,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, (Estimate Throughput, Estimate? Ratio)>> OtherLinks,
    IReadOnlyList<GainRow> Gains,
    IReadOnlyList<ModeRow> Modes,
    IReadOnlyList<MtuRow> Mtus,
    IReadOnlyList<Claim> Claims);

/// <summary>
/// Computes the findings from a bench's cells: the ordering of suites, their ratio to plain IP, the gain of each tuning
/// step, tunnel against transport, and a verdict on each claim of the paper, taking netperf's confidence intervals into
/// account: two figures whose intervals overlap are "within noise", never a win for either.
/// </summary>
public static class Findings
{
    /// <summary>"A few per cent" between tunnel and transport mode (the paper: 3 %, 3-5 %, negligible).</summary>
    public const double FewPercent = 5.0;

    public static Relation Compare(Estimate a, Estimate b)
    {
        var (aLow, aHigh) = a.Interval;
        var (bLow, bHigh) = b.Interval;
        if (aLow > bHigh) return Relation.Above;
        if (aHigh < bLow) return Relation.Below;
        return Relation.Overlap;
    }

    public static Verdict Aggregate(IEnumerable<Verdict> outcomes)
    {
        var list = outcomes.ToList();
        if (list.Count == 0) return Verdict.NotMeasured;
        var holds = list.Count(v => v == Verdict.Holds);
        var against = list.Count(v => v == Verdict.DoesNotHold);
        if (against > 0 && holds > 0) return Verdict.Mixed;
        if (against > 0) return Verdict.DoesNotHold;
        if (holds > 0) return Verdict.Holds;
        return Verdict.WithinNoise;
    }

    public static string Text(Verdict v) => v switch
    {
        Verdict.Holds => "holds",
        Verdict.DoesNotHold => "does not hold",
        Verdict.Mixed => "mixed",
        Verdict.WithinNoise => "within noise",
        _ => "not measured",
    };

    public static FindingsData Compute(BenchData data)
    {
        var cells = data.Cells.Where(c => c.Measured).ToList();
        var fastest = FastestLink(cells);

        // Ordering and ratios: the throughput experiment at its fastest link and largest message size.
        string? condition = null;
        var ranking = new List<RankRow>();
        var otherLinks = new List<string>();
        var others = new Dictionary<string, IReadOnlyDictionary<string, (Estimate, Estimate?)>>();
        var tp = data.Experiments(Figure.Throughput).FirstOrDefault();
        if (tp is not null)
        {
            var mine = data.Of(tp).ToList();
            var link = FastestLink(mine);
            var size = mine.Where(c => c.Key.Link == link).Select(c => c.Key.MessageSize).DefaultIfEmpty().Max();
            var at = mine.Where(c => c.Key.Link == link && c.Key.MessageSize == size).ToList();
            if (at.Count > 0)
            {
                var g = at[0].Key.Group;
                condition = $"{size} B messages, {link} link, {g.Mode} mode, MTU {g.Mtu}, {g.Tuning} TCP";
                var sorted = at.Where(c => c.Key.Group == g).OrderByDescending(c => c.Throughput!.Value).ToList();
                for (var i = 0; i < sorted.Count; i++)
                {
                    var tied = i + 1 < sorted.Count && Compare(sorted[i].Throughput!, sorted[i + 1].Throughput!) == Relation.Overlap;
                    ranking.Add(new RankRow(i + 1, sorted[i].Key.Protection, sorted[i].Label, sorted[i].Throughput!, sorted[i].Ratio, tied));
                }
                otherLinks = mine.Select(c => c.Key.Link).Distinct().Where(l => l != link).OrderBy(MatrixCells.LinkRank).ToList();
                foreach (var l in otherLinks)
                    others[l] = mine.Where(c => c.Key.Link == l && c.Key.MessageSize == size && c.Key.Mode == g.Mode && c.Key.Mtu == g.Mtu && c.Key.Tuning == g.Tuning)
                        .ToDictionary(c => c.Key.Protection, c => (c.Throughput!, c.Ratio));
            }
        }

        return new FindingsData(condition, ranking, otherLinks, others, Gains(data), Modes(data), Mtus(data),
            [ThreeDesSlowest(cells, fastest), AuthBelowAlone(cells, fastest), TunedAtLeastStock(data, cells), LargerMtuHelps(data, cells), TunnelNearTransport(cells)]);
    }

    /// <summary>The fastest link among the cells: unshaped if measured, else the highest rate.</summary>
    public static string? FastestLink(IEnumerable<CellResult> cells) =>
        cells.Select(c => c.Key.Link).Distinct().OrderBy(MatrixCells.LinkRank).LastOrDefault();

    static IEnumerable<GainRow> GainsOf(BenchData data, Experiment e)
    {
        var steps = e.AblationSteps;
        foreach (var c in e.Cases)
            foreach (var size in e.MessageSizes)
                foreach (var link in e.Links)
                    foreach (var mode in e.Modes)
                    {
                        var row = new List<StepGain?>();
                        Estimate? previous = null;
                        foreach (var s in steps)
                        {
                            var cell = data.Find(new CellKey(c, mode, size, link, e.MtuOf(s), s.Tuning));
                            if (cell is null) { row.Add(null); continue; }
                            var t = cell.Throughput!;
                            row.Add(new StepGain(s.Label, t, previous is null ? null : Pct(t.Value, previous.Value), previous is null ? null : Compare(t, previous)));
                            previous = t;
                        }
                        if (row.Any(x => x is not null))
                            yield return new GainRow(c, CellResult.LabelOf(c), size, row);
                    }
    }

    static List<GainRow> Gains(BenchData data) => data.Experiments(Figure.Ablation).SelectMany(e => GainsOf(data, e)).ToList();

    static List<ModeRow> Modes(BenchData data)
    {
        var rows = new List<ModeRow>();
        foreach (var e in data.Experiments(Figure.Modes))
            foreach (var c in data.Of(e).Where(c => c.Key.Mode == "tunnel"))
                if (data.Find(c.Key with { Mode = "transport" }) is { } tr)
                    rows.Add(new ModeRow(c.Key.Protection, c.Label, c.Key.MessageSize, c.Throughput!, tr.Throughput!,
                        Pct(c.Throughput!.Value, tr.Throughput!.Value), Compare(c.Throughput!, tr.Throughput!)));
        return rows.DistinctBy(r => (r.Protection, r.MessageSize)).ToList();
    }

    static List<MtuRow> Mtus(BenchData data)
    {
        var rows = new List<MtuRow>();
        foreach (var e in data.Experiments(Figure.Mtu))
            foreach (var g in data.Of(e).GroupBy(c => (c.Key.Protection, c.Key.MessageSize, c.Key.Link, c.Key.Mode, c.Key.Tuning)))
                rows.Add(new MtuRow(g.Key.Protection, g.First().Label, g.OrderBy(c => c.Key.Mtu).Select(c => (c.Key.Mtu, c.Throughput!)).ToList()));
        return rows;
    }

    // ---- the paper's claims ----

    /// <summary>Section 4.2: 3DES is the slowest cipher. Compared at the fastest link, per integrity algorithm and condition.</summary>
    static Claim ThreeDesSlowest(List<CellResult> cells, string? fastest)
    {
        var evidence = new List<Evidence>();
        foreach (var c in cells.Where(c => c.Key.Link == fastest && Esp(c) is { Suite.Enc.Name: "cbc(des3_ede)" }))
        {
            var p = Esp(c)!;
            var rivals = cells.Where(o => Same(o, c) && Esp(o) is { } op && op.Proto == p.Proto && op.Suite!.Enc is not null
                                          && op.Suite.Enc.Name != "cbc(des3_ede)" && op.Suite.Auth?.Name == p.Suite!.Auth?.Name).ToList();
            if (rivals.Count == 0) continue;
            var slowestRival = rivals.MinBy(o => o.Throughput!.Value)!;
            var relations = rivals.Select(o => Compare(c.Throughput!, o.Throughput!)).ToList();
            var outcome = relations.Any(r => r == Relation.Above) ? Verdict.DoesNotHold
                : relations.All(r => r == Relation.Below) ? Verdict.Holds : Verdict.WithinNoise;
            evidence.Add(new Evidence($"{c.Key.Protection} vs {string.Join(", ", rivals.Select(r => r.Key.Protection))} ({Where(c)})", outcome,
                $"{c.Label} {Mbps(c.Throughput!)}; slowest other {slowestRival.Label} {Mbps(slowestRival.Throughput!)}"));
        }
        return new Claim("3DES is the slowest cipher", $"ESP ciphers with the same integrity algorithm, {fastest ?? "fastest"} link", evidence);
    }

    /// <summary>Section 4: ESP with an integrity algorithm is below the same cipher alone.</summary>
    static Claim AuthBelowAlone(List<CellResult> cells, string? fastest)
    {
        var evidence = new List<Evidence>();
        foreach (var c in cells.Where(c => c.Key.Link == fastest && Esp(c) is { Suite.Auth: not null, Suite.Enc: not null }))
        {
            var p = Esp(c)!;
            var alone = cells.FirstOrDefault(o => Same(o, c) && Esp(o) is { } op && op.Proto == p.Proto && op.Suite!.Auth is null && op.Suite.Enc == p.Suite!.Enc);
            if (alone is null) continue;
            evidence.Add(new Evidence($"{c.Key.Protection} vs {alone.Key.Protection} ({Where(c)})",
                Judge(c.Throughput!, alone.Throughput!, expected: Relation.Below), Versus(c.Throughput!, alone.Throughput!)));
        }
        return new Claim("ESP with authentication is below ESP alone", $"same cipher, {fastest ?? "fastest"} link", evidence);
    }

    /// <summary>Section 5: the tuned stack (TCP buffers and coalescing) delivers at least what the stock one does, for ESP.</summary>
    static Claim TunedAtLeastStock(BenchData data, List<CellResult> cells)
    {
        var evidence = new List<Evidence>();
        foreach (var c in cells.Where(c => c.Key.Tuning == TuningLevels.Stock && Esp(c) is not null))
        {
            if (data.Find(c.Key with { Tuning = TuningLevels.Tuned }) is not { } tuned) continue;
            evidence.Add(new Evidence($"{c.Key.Protection} tuned vs stock ({Where(c, tuning: false)})",
                Judge(tuned.Throughput!, c.Throughput!, expected: Relation.Above), Versus(tuned.Throughput!, c.Throughput!)));
        }
        return new Claim("tuned >= stock for ESP", "TCP buffers and interrupt coalescing against stock, same MTU, ESP suites", evidence);
    }

    /// <summary>Section 5.3, figure 6: a larger MTU brings more throughput (IPsec suites; each larger MTU against the smallest).</summary>
    static Claim LargerMtuHelps(BenchData data, List<CellResult> cells)
    {
        var evidence = new List<Evidence>();
        foreach (var g in cells.Where(c => !c.Key.IsPlain).GroupBy(c => c.Key with { Mtu = 0 }))
        {
            var byMtu = g.OrderBy(c => c.Key.Mtu).ToList();
            if (byMtu.Count < 2) continue;
            var small = byMtu[0];
            foreach (var large in byMtu.Skip(1))
                evidence.Add(new Evidence($"{large.Key.Protection} MTU {large.Key.Mtu} vs {small.Key.Mtu} ({Where(large, mtu: false)})",
                    Judge(large.Throughput!, small.Throughput!, expected: Relation.Above), Versus(large.Throughput!, small.Throughput!)));
        }
        return new Claim("larger MTU helps", "IPsec suites, each larger MTU against the smallest measured, all else equal", evidence);
    }

    /// <summary>Sections 4 and 5: tunnel and transport mode are within a few per cent of each other.</summary>
    static Claim TunnelNearTransport(List<CellResult> cells)
    {
        var evidence = new List<Evidence>();
        foreach (var c in cells.Where(c => c.Key.Mode == "tunnel" && !c.Key.IsPlain))
        {
            var tr = cells.FirstOrDefault(o => o.Key == c.Key with { Mode = "transport" });
            if (tr is null) continue;
            var diff = Pct(c.Throughput!.Value, tr.Throughput!.Value);
            var outcome = Math.Abs(diff) <= FewPercent ? Verdict.Holds
                : Compare(c.Throughput!, tr.Throughput!) == Relation.Overlap ? Verdict.WithinNoise : Verdict.DoesNotHold;
            evidence.Add(new Evidence($"{c.Key.Protection} ({Where(c, mode: false)})", outcome,
                $"tunnel {Mbps(c.Throughput!)} vs transport {Mbps(tr.Throughput!)} ({diff:+0.0;-0.0} %)"));
        }
        return new Claim("tunnel and transport within a few per cent", $"|tunnel / transport - 1| <= {FewPercent:0} %, IPsec suites", evidence);
    }

    /// <summary>A comparison's verdict for a claim that expects <paramref name="expected"/> of a against b: the opposite is against it.</summary>
    static Verdict Judge(Estimate a, Estimate b, Relation expected) => Compare(a, b) switch
    {
        var r when r == expected => Verdict.Holds,
        Relation.Overlap => Verdict.WithinNoise,
        _ => Verdict.DoesNotHold,
    };

    /// <summary>"a ±x % vs b ±y % (+z %)": two figures and how far the first is from the second.</summary>
    static string Versus(Estimate a, Estimate b) => $"{Mbps(a)} vs {Mbps(b)} ({Pct(a.Value, b.Value):+0.0;-0.0} %)";

    static Protection? Esp(CellResult c) => Protection.Parse(c.Key.Protection) is { Proto: IpsecProto.Esp or IpsecProto.EspAh } p ? p : null;

    /// <summary>Same conditions: everything but the protection.</summary>
    static bool Same(CellResult a, CellResult b) => a.Key with { Protection = "" } == b.Key with { Protection = "" };

    static string Where(CellResult c, bool tuning = true, bool mtu = true, bool mode = true) =>
        string.Join(", ", new[]
        {
            $"{c.Key.MessageSize} B", c.Key.Link, mode ? c.Key.Mode : null, mtu ? $"MTU {c.Key.Mtu}" : null, tuning ? c.Key.Tuning : null,
        }.Where(s => s is not null));

    public static string Mbps(Estimate e) =>
        e.RelativeHalfWidth is { } h
            ? $"{e.Value.ToString("0.#", CultureInfo.InvariantCulture)} ±{(h * 100).ToString("0.#", CultureInfo.InvariantCulture)} %"
            : $"{e.Value.ToString("0.#", CultureInfo.InvariantCulture)} (no interval)";

    public static double Pct(double a, double b) => b == 0 ? double.NaN : 100.0 * (a / b - 1);
}
