using Testbed.Measurement;
using Testbed.Measurement.Detection;
using Verification.Performance;

namespace Verification;

/// <summary>What a case is judged against: the reference measured in the same run, or a recorded baseline.</summary>
public abstract record Against(string Name)
{
    /// <summary>The reference declaration, measured beside the stack in this run (its samples are on <see cref="Side.Reference"/>).</summary>
    public sealed record SameRun(string Name) : Against(Name);

    /// <summary>A baseline recorded at another time; null entry: none for this case.</summary>
    public sealed record Recorded(string Name, BaselineFile? File) : Against(Name);
}

/// <summary>One case judged: each metric's verdict, or why the case could not be judged.</summary>
public sealed record CaseVerdict(string Subject, SampleKey Key, string Against, IReadOnlyList<ShiftVerdict> Checks, IReadOnlyList<string> Problems)
{
    /// <summary>Metrics compared and shown but not judged (see <see cref="Judge.JudgedAlone"/>).</summary>
    public IReadOnlyList<ShiftVerdict> Reported { get; init; } = [];

    /// <summary>Why a metric that would only have been shown could not be compared.</summary>
    public IReadOnlyList<string> ReportedProblems { get; init; } = [];

    /// <summary>Nothing of this case is judged (against another day's recording on a shared machine): shown only.</summary>
    public bool ShownOnly => Checks.Count == 0 && Problems.Count == 0;

    /// <summary>Every comparison of the case, judged or only shown, in that order.</summary>
    public IEnumerable<(ShiftVerdict Check, bool Judged)> Compared => Checks.Select(c => (c, true)).Concat(Reported.Select(c => (c, false)));

    public bool Passed => Problems.Count == 0 && Checks.All(c => !c.Regressed);

    public IEnumerable<ShiftVerdict> Failed => Checks.Where(c => c.Regressed);

    public string Summary =>
        Problems.Count > 0 ? "not judged"
        : ShownOnly ? "shown, not judged"
        : Passed ? "ok"
        : "REGRESSED " + string.Join(", ", Failed.Select(c => $"{Short(c.Metric)} {ShiftVerdict.Pct(c.Worsening)}"));

    /// <summary>A metric's short name, pooled or not ("ratio", "cpu", "throughput").</summary>
    public static string Short(string metric) => metric.Replace(", pooled", "") switch
    {
        "throughput ratio to plain IP" => "ratio",
        "CPU per Mbit/s" => "cpu",
        var m => m,
    };
}

/// <summary>
/// The verdicts of a run. Each metric of each case is a one-sided Mann-Whitney test of the stack's samples against the
/// reference's (Perfolizer), tolerating <see cref="Thresholds.SameRunThreshold"/> against a reference measured in the
/// same run, and against a recorded baseline that or the drift the recording itself showed between its visits, whichever
/// is larger. The IPsec suites are also judged together: each suite's samples relative to its own reference centre,
/// pooled, which sees a change that costs every suite a little (a declaration, a kernel) with four times the samples.
/// </summary>
public static class Judge
{
    /// <summary>The metrics of a case: the ratio for IPsec suites, the CPU cost for all, absolute throughput where it means something.</summary>
    public static IReadOnlyList<Metric> MetricsOf(string protection, Against against, bool dedicatedHardware) =>
        [.. protection == "plain" ? Array.Empty<Metric>() : [Metric.Ratio], Metric.Cpu,
            .. against is Against.SameRun || dedicatedHardware ? [Metric.Throughput] : Array.Empty<Metric>()];

    /// <summary>
    /// Whether a single case is judged, or only shown beside the IPsec suites judged pooled. Against another day's
    /// recording on a shared machine no case is judged alone: plain IP runs as fast as the host lets it, so its cost per
    /// Mbit/s is the inverse of the host's spare time that day (drift 37 % between the visits of one recording, +67 % a
    /// day later with nothing changed), and one suite's 6 samples against a 3-pass recording called a false alarm in 1
    /// of 9 clean runs (ESP-AES128-SHA1's CPU +17.8 % with a recorded drift of 6 %; measured 2026-12-03) while the
    /// pooled verdicts called none. A change in the declaration is judged per case against the same-run reference, and
    /// lab hardware per case against its recording.
    /// </summary>
    public static bool JudgedAlone(Against against, bool dedicatedHardware) => against is Against.SameRun || dedicatedHardware;

    public static CaseVerdict Of(RunSamples samples, SampleKey key, int referenceMtu, string profile, string label, Against against,
        Thresholds t, bool dedicatedHardware)
    {
        var subject = $"{key.Protection} ({label}) {key.Mode} {key.MessageSize} B";
        var stack = samples.Of(key);
        var (checks, reported) = (new List<ShiftVerdict>(), new List<ShiftVerdict>());
        var (problems, reportedProblems) = (new List<string>(), new List<string>());
        var judged = JudgedAlone(against, dedicatedHardware);
        foreach (var metric in MetricsOf(key.Protection, against, dedicatedHardware))
        {
            var measured = RunSamples.Values(stack, metric).Select(v => v.Value).ToList();
            var (reference, threshold, problem, _) = ReferenceOf(samples, key, referenceMtu, profile, metric, against, t);
            if (problem is not null) { (judged ? problems : reportedProblems).Add($"{subject}: {problem}"); continue; }
            var comparison = new Comparison(metric.Name, metric.Worse, reference!, measured);
            if (comparison.Problem is { } p) { (judged ? problems : reportedProblems).Add($"{subject}: {p}"); continue; }
            // A recording too noisy to judge a metric by is not a failure of this run: shown, with why.
            if (comparison.CannotJudge(threshold) is { } noisy) { reportedProblems.Add($"{subject}: {noisy} ({TooNoisy})"); continue; }
            (judged ? checks : reported).Add(comparison.Judge(threshold, t.Alpha));
        }
        return new CaseVerdict(subject, key, against.Name, checks, problems) { Reported = reported, ReportedProblems = reportedProblems };
    }

    /// <summary>
    /// The IPsec suites of a mode and size judged together on one metric: every sample divided by its suite's reference
    /// centre, so that each suite counts as a relative change and a cheap suite weighs as much as a costly one.
    /// </summary>
    public static CaseVerdict Pooled(RunSamples samples, IReadOnlyList<SampleKey> ipsecKeys, int referenceMtu, string profile, Metric metric,
        Against against, Thresholds t)
    {
        var first = ipsecKeys[0];
        var subject = $"all {ipsecKeys.Count} IPsec suites {first.Mode} {first.MessageSize} B";
        var pooledKey = first with { Protection = "ipsec (pooled)" };
        var (measured, reference) = (new List<double>(), new List<double>());
        var recordings = new List<(MetricBaseline, int)>();
        var problems = new List<string>();
        foreach (var key in ipsecKeys)
        {
            var (refs, _, problem, recorded) = ReferenceOf(samples, key, referenceMtu, profile, metric, against, t);
            if (problem is not null || refs is not { Count: > 0 }) { problems.Add($"{key}: {problem ?? "no reference"}"); continue; }
            var center = Pragmastat.Toolkit.Center(new Pragmastat.Sample([.. refs])).NominalValue;
            reference.AddRange(refs.Select(v => v / center));
            measured.AddRange(RunSamples.Values(samples.Of(key), metric).Select(v => v.Value / center));
            if (recorded is { } r) recordings.Add(r);
        }
        if (problems.Count > 0) return new CaseVerdict(subject, pooledKey, against.Name, [], problems);
        // Against a recording the pooled samples tolerate what the suites drifted together between the recording's
        // visits and sessions: the machine's day, common to all of them, stays; each suite's own noise averages out.
        var threshold = recordings.Count > 0 ? Math.Max(t.SameRunThreshold, MetricBaseline.PooledDrift(recordings)) : t.SameRunThreshold;
        var comparison = new Comparison($"{metric.Name}, pooled", metric.Worse, reference, measured);
        if (comparison.Problem is { } p) return new CaseVerdict(subject, pooledKey, against.Name, [], [p]);
        if (comparison.CannotJudge(threshold) is { } noisy)
            return new CaseVerdict(subject, pooledKey, against.Name, [], []) { ReportedProblems = [$"{subject}: {noisy} ({TooNoisy})"] };
        return new CaseVerdict(subject, pooledKey, against.Name, [comparison.Judge(threshold, t.Alpha)], []);
    }

    /// <summary>
    /// The pooled alarms that are measured again before they fail the run: those against another day's recording on a
    /// shared machine. There a stretch of a minute or two in which the machine runs the guests slower costs every suite
    /// and plain IP alike, exactly what a lasting change on the gateways does (a busy neighbour), and no verdict on one
    /// look can tell the two apart: the one false alarm in 80 clean runs on 2026-12-08 was such a stretch (every suite
    /// +8 to +23 % CPU per Mbit/s, plain IP +17 %, the next run -0.6 %). A second look a couple of minutes later sees a
    /// lasting change again and a passing one not. Against the same-run reference the drift falls on both sides already,
    /// and dedicated hardware has no neighbour to pass.
    /// </summary>
    public static IReadOnlyList<CaseVerdict> ToLookAgain(IReadOnlyList<CaseVerdict> pooled, Against against, bool dedicatedHardware) =>
        against is Against.Recorded && !dedicatedHardware ? [.. pooled.Where(v => v.Problems.Count == 0 && v.Failed.Any())] : [];

    const string TooNoisy = "the recording's own visits lay that far apart; record it again on a quieter machine, docs/thresholds.md";

    /// <returns>The reference samples and the tolerated worsening, or why there are none; against a recording also the
    /// recorded metric with its entry's visits (for the pooled drift).</returns>
    static (IReadOnlyList<double>? Reference, double Threshold, string? Problem, (MetricBaseline, int)? Recorded) ReferenceOf(RunSamples samples,
        SampleKey key, int referenceMtu, string profile, Metric metric, Against against, Thresholds t)
    {
        switch (against)
        {
            case Against.SameRun:
                var refs = RunSamples.Values(samples.Of(key with { Side = Side.Reference }), metric).Select(v => v.Value).ToList();
                return (refs, t.SameRunThreshold, refs.Count == 0 ? $"the reference was not measured ({metric.Name})" : null, null);
            case Against.Recorded r:
                var entry = r.File?.Find(new CaseKey(key.Protection, key.Mode, key.MessageSize, referenceMtu, profile));
                if (entry is null)
                    return (null, 0, $"no baseline for {key.Protection} {key.Mode} {key.MessageSize} B at MTU {referenceMtu} (profile {profile}) in {r.Name}", null);
                if (metric.Recorded(entry) is not { } recorded) return (null, 0, $"{r.Name} recorded no {metric.Name}", null);
                if (metric == Metric.Cpu && samples.Of(key).FirstOrDefault()?.Result.CpuSource is { } source && source != entry.CpuSource)
                    return (null, 0, $"the baseline's CPU comes from '{entry.CpuSource}', this run's from '{source}'; they cannot be compared", null);
                return (recorded.Samples, Math.Max(t.SameRunThreshold, recorded.Drift), null, (recorded, entry.Visits));
            default:
                throw new ArgumentOutOfRangeException(nameof(against));
        }
    }
}
