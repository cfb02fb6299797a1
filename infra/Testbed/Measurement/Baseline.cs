using System.Text.Json;
using System.Text.Json.Serialization;
using Pragmastat;

namespace Testbed.Measurement;

/// <summary>
/// One metric of one case as recorded: every sample (the reference a later run's samples are tested against), their
/// centre (Hodges-Lehmann), and the drift: how far the centres of the recording's visits lay from each other (the
/// largest relative distance of one from their median). Drift is the run-to-run noise a comparison with figures
/// from another time has to tolerate; a same-run reference does not. A recording added as a later session
/// (<see cref="Add"/>) brings its visits in, so that the drift covers the hours between sessions as well.
/// </summary>
/// <param name="VisitCenters">The centre of each visit, in the order taken; absent in files written before sessions.</param>
public sealed record MetricBaseline(double Center, double Drift, IReadOnlyList<double> Samples, IReadOnlyList<double>? VisitCenters = null)
{
    /// <summary>The baseline of one metric from its samples, grouped by the visit (a stretch of time) they were taken in.</summary>
    public static MetricBaseline? Of(IReadOnlyList<IReadOnlyList<double>> byVisit)
    {
        var visits = byVisit.Select(v => v.Where(x => double.IsFinite(x) && x > 0).ToArray()).Where(v => v.Length > 0).ToList();
        return visits.Count == 0 ? null : From([.. visits.SelectMany(v => v)], [.. visits.Select(v => Toolkit.Center(new Sample(v)).NominalValue)]);
    }

    /// <summary>
    /// This recording and a later session of it as one: all samples, and the drift over every visit of both. A file
    /// written before sessions kept no visit centres; its samples are then taken as equal runs (<paramref name="visits"/>,
    /// <paramref name="laterVisits"/> of them), in the order the recording wrote them.
    /// </summary>
    public MetricBaseline Add(MetricBaseline later, int visits, int laterVisits) =>
        From([.. Samples, .. later.Samples], [.. CentersOf(visits), .. later.CentersOf(laterVisits)]);

    /// <summary>
    /// The drift of several suites judged together: each suite's visit centres relative to its own centre, the k-th
    /// visits of all suites (taken in the same block of a pass) combined by their geometric mean, and how far those lay
    /// from their median. A drift every suite shared (the machine's day) stays whole; each suite's own noise averages out.
    /// </summary>
    public static double PooledDrift(IReadOnlyList<(MetricBaseline Metric, int Visits)> suites)
    {
        var relative = suites.Select(s => s.Metric.CentersOf(s.Visits)).Select(c => (Centers: c, Center: Toolkit.Center(new Sample([.. c])).NominalValue))
            .Select(s => s.Centers.Select(c => Math.Log(c / s.Center)).ToList()).ToList();
        var blocks = relative.Min(r => r.Count);
        return DriftOf([.. Enumerable.Range(0, blocks).Select(k => Math.Exp(relative.Average(r => r[k])))]);
    }

    IReadOnlyList<double> CentersOf(int visits) =>
        VisitCenters ?? Samples.Chunk((int)Math.Ceiling(Samples.Count / (double)Math.Max(1, visits))).Select(v => Toolkit.Center(new Sample(v)).NominalValue).ToList();

    static MetricBaseline From(IReadOnlyList<double> samples, IReadOnlyList<double> centers) =>
        new(Round(Toolkit.Center(new Sample([.. samples])).NominalValue), Round(DriftOf(centers)), [.. samples.Select(Round)], [.. centers.Select(Round)]);

    /// <summary>The largest relative distance of a visit's centre from their median (0 for one visit).</summary>
    static double DriftOf(IReadOnlyList<double> centers)
    {
        if (centers.Count < 2) return 0;
        var median = Toolkit.Center(new Sample([.. centers])).NominalValue;
        return centers.Max(c => Math.Exp(Math.Abs(Math.Log(c / median))) - 1);
    }

    static double Round(double v) => Math.Round(v, 6);
}

/// <summary>
/// The baseline of one case: the recorded samples of each metric. Keyed by protection, mode, message size, MTU and
/// profile.
/// </summary>
/// <param name="Visits">How many visits (stretches of time, over all recording passes) the samples came from.</param>
/// <param name="Sessions">How many recordings, at different times, the samples came from (<see cref="Add"/>).</param>
public sealed record BaselineEntry(
    string Protection,
    string Mode,
    int MessageSize,
    int Mtu,
    string Profile,
    MetricBaseline Throughput,
    MetricBaseline? RatioToPlain,
    MetricBaseline CpuPerMbit,
    string CpuSource,
    int Visits,
    DateTimeOffset Recorded,
    int Sessions = 1)
{
    [JsonIgnore]
    public CaseKey Key => new(Protection, Mode, MessageSize, Mtu, Profile);

    /// <summary>A later recording of the same case as another session of this one: samples together, drift over both.</summary>
    public BaselineEntry Add(BaselineEntry later) => later with
    {
        Throughput = Throughput.Add(later.Throughput, Visits, later.Visits),
        RatioToPlain = RatioToPlain is { } ratio && later.RatioToPlain is { } laterRatio ? ratio.Add(laterRatio, Visits, later.Visits) : later.RatioToPlain,
        CpuPerMbit = CpuPerMbit.Add(later.CpuPerMbit, Visits, later.Visits),
        Visits = Visits + later.Visits,
        Sessions = Sessions + later.Sessions,
    };
}

/// <summary>
/// The declared settings that shape performance, as the stack read when its baseline was recorded: the reference a
/// run is measured against. A stack whose declaration differs from it (someone changed a sysctl, the MTU, the NIC) is
/// measured side by side with it in the same run.
/// </summary>
public sealed record ReferenceDeclaration(
    string Link,
    int Mtu,
    string Tuning,
    IReadOnlyList<KeyValuePair<string, string>> Sysctls,
    IReadOnlyList<KeyValuePair<string, int>> Coalesce,
    IReadOnlyList<KeyValuePair<string, bool>> Offload)
{
    public static ReferenceDeclaration Of(Model.TestbedSpec spec) => new(
        spec.Link.Name, spec.Mtu, spec.Kernel.Name, spec.Kernel.Sysctls.Select(kv => KeyValuePair.Create(kv.Key, Resources.Sysctl.Normalize(kv.Value))).ToList(),
        spec.Nic.Coalesce.Select(c => KeyValuePair.Create(c.Param, c.Value)).ToList(), spec.Nic.Offload.ToList());

    /// <summary>The stack as this declaration has it: its link, MTU, kernel and NIC settings, everything else as <paramref name="stack"/>.</summary>
    public Model.TestbedSpec On(Model.TestbedSpec stack) => stack with
    {
        Link = Model.Link.Parse(Link) ?? stack.Link,
        Mtu = Mtu,
        Kernel = new Model.KernelTuning(Tuning, Sysctls),
        Nic = new Model.NicOptions(Coalesce.Select(c => new Model.Coalesce(c.Key, c.Value, stack.Nic.Coalesce.FirstOrDefault(x => x.Param == c.Key)?.BestEffort ?? false)).ToList(), Offload),
    };

    /// <summary>What differs from another declaration, setting by setting; empty when they declare the same.</summary>
    public IReadOnlyList<string> Differences(ReferenceDeclaration other)
    {
        var d = new List<string>();
        if (Link != other.Link) d.Add($"link {Link} → {other.Link}");
        if (Mtu != other.Mtu) d.Add($"mtu {Mtu} → {other.Mtu}");
        void Compare<T>(string what, IReadOnlyList<KeyValuePair<string, T>> a, IReadOnlyList<KeyValuePair<string, T>> b)
        {
            foreach (var key in a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)))
            {
                var (x, y) = (a.FirstOrDefault(kv => kv.Key == key), b.FirstOrDefault(kv => kv.Key == key));
                var (xs, ys) = (x.Key is null ? "(host's own)" : $"{x.Value}", y.Key is null ? "(host's own)" : $"{y.Value}");
                if (xs != ys) d.Add($"{what} {key} {xs} → {ys}");
            }
        }
        Compare("sysctl", Sysctls, other.Sysctls);
        Compare("coalesce", Coalesce, other.Coalesce);
        Compare("offload", Offload, other.Offload);
        return d;
    }
}

/// <summary>
/// <c>verification/baselines/&lt;stack&gt;.json</c>: the baselines recorded on one stack, where, and the declaration they
/// were recorded with. Written only when asked (the verification suite with <c>TESTBED_RECORD_BASELINE=N</c>); a
/// recording replaces the entries it measured and keeps the others, or with <c>TESTBED_RECORD_ADD=1</c> joins them as
/// another session.
/// </summary>
/// <param name="Version">2: samples per metric (1 held netperf's means and intervals, which this judge cannot use).</param>
public sealed record BaselineFile(int Version, string Stack, string RecordedOn, ReferenceDeclaration? Reference, IReadOnlyList<BaselineEntry> Entries)
{
    public const int CurrentVersion = 2;

    /// <summary>The kernels its sessions ran on (once each); null in a file recorded before it kept them.</summary>
    public IReadOnlyList<Kernels>? Kernels { get; init; }

    /// <summary>Where a stack's baseline lives in the project: <c>verification/baselines/&lt;stack&gt;.json</c>.</summary>
    public static string PathFor(string projectRoot, string stack) => System.IO.Path.Combine(projectRoot, "verification", "baselines", $"{stack}.json");

    public BaselineEntry? Find(CaseKey key) => Entries.FirstOrDefault(e => e.Key == key);

    /// <summary>Reads a baseline file; null when there is none, an error naming the file when it is malformed or of an older kind.</summary>
    public static BaselineFile? Read(string file)
    {
        if (!File.Exists(file)) return null;
        using (var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }))
            if (!doc.RootElement.TryGetProperty("version", out var v) || v.GetInt32() != CurrentVersion)
                throw new InvalidDataException($"{file} is a baseline of an older kind (netperf means, no samples); record it again with " +
                                               "TESTBED_RECORD_BASELINE=3 (docs/thresholds.md)");
        return DataJson.Read<BaselineFile>(file);
    }

    /// <summary>
    /// Records entries in a stack's baseline file (a new file when it has none): they replace the entries with their
    /// keys, or join them as another session (<paramref name="addSession"/>); the others are kept. Returns the file's path
    /// and what it now holds.
    /// </summary>
    public static (string Path, BaselineFile File) Record(string projectRoot, string stack, IEnumerable<BaselineEntry> recorded, string recordedOn,
        ReferenceDeclaration reference, bool addSession = false, Kernels? kernels = null)
    {
        var file = PathFor(projectRoot, stack);
        var old = File.Exists(file) && IsCurrent(file) ? Read(file) : null;
        if (addSession && SessionRefusal(old, stack, reference) is { } refusal) throw new InvalidOperationException($"{file}: {refusal}");
        var merged = (old ?? new BaselineFile(CurrentVersion, stack, recordedOn, reference, [])).Merge(recorded, recordedOn, reference, addSession, kernels);
        return (merged.Write(file), merged);
    }

    static bool IsCurrent(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return doc.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == CurrentVersion;
    }

    /// <summary>
    /// This file with <paramref name="recorded"/> entries in it. They replace the entries with their keys, or with
    /// <paramref name="addSession"/> join them as another session (same declaration and CPU source; the drift then spans
    /// both recordings). A recording under another declaration starts the file afresh; adding a session to it is refused.
    /// The file keeps the <paramref name="kernels"/> of every recording whose entries it still holds.
    /// </summary>
    public BaselineFile Merge(IEnumerable<BaselineEntry> recorded, string recordedOn, ReferenceDeclaration reference, bool addSession = false,
        Kernels? kernels = null)
    {
        var fresh = recorded.ToList();
        var sameDeclaration = Reference is { } r && r.Differences(reference).Count == 0;
        if (addSession && !sameDeclaration) throw new InvalidOperationException(SessionRefusal(reference)!);
        BaselineEntry Joined(BaselineEntry e) =>
            addSession && Find(e.Key) is { } old && old.CpuSource == e.CpuSource ? old.Add(e) : e;
        // Entries recorded under another declaration are not this reference's: a new reference starts a new file.
        var keep = sameDeclaration ? Entries.Where(e => !fresh.Any(f => f.Key == e.Key)).ToList() : [];
        var holdsOlder = keep.Count > 0 || (addSession && Entries.Count > 0);
        var all = keep.Concat(fresh.Select(Joined))
            .OrderBy(e => e.Profile, StringComparer.Ordinal).ThenBy(e => e.Mtu).ThenBy(e => e.Mode, StringComparer.Ordinal)
            .ThenBy(e => e.Protection == "plain" ? "" : e.Protection, StringComparer.Ordinal).ThenBy(e => e.MessageSize)
            .ToList();
        return this with
        {
            Version = CurrentVersion, RecordedOn = addSession ? $"{RecordedOn}; then {recordedOn}" : recordedOn, Reference = reference, Entries = all,
            Kernels = KernelsAfter(kernels, holdsOlder),
        };
    }

    /// <summary>The kernels of a file that holds, besides a recording on <paramref name="kernels"/>, older entries or none.</summary>
    IReadOnlyList<Kernels>? KernelsAfter(Kernels? kernels, bool holdsOlder)
    {
        if (kernels is null) return Kernels;
        if (!holdsOlder) return [kernels];
        // Entries kept from a file that did not say where it was recorded leave the file unable to say.
        return Kernels is { } known ? kernels.JoinedTo(known) : null;
    }

    /// <summary>Why a session cannot be added to a stack's baseline (null: it has none) under <paramref name="reference"/>; null when it can.</summary>
    public static string? SessionRefusal(BaselineFile? file, string stack, ReferenceDeclaration reference) =>
        file is null ? $"stack {stack} has no baseline to add a session to; record it first" : file.SessionRefusal(reference);

    /// <summary>Why a session cannot be added to this file under <paramref name="reference"/>; null when it can.</summary>
    public string? SessionRefusal(ReferenceDeclaration reference) =>
        Reference is null ? $"the baseline of stack {Stack} records no declaration; record it afresh first"
        : Reference.Differences(reference) is { Count: > 0 } d
            ? $"the baseline of stack {Stack} was recorded under another declaration ({string.Join("; ", d)}); record it afresh (without TESTBED_RECORD_ADD)"
            : null;

    public string Write(string file)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, DataJson.Write(this) + "\n");
        return file;
    }
}

/// <summary><c>verification/profiles/&lt;name&gt;.json</c>: what the verification suite measures.</summary>
public static class ProfileFile
{
    public static string Folder(string projectRoot) => System.IO.Path.Combine(projectRoot, "verification", "profiles");

    public static string PathFor(string projectRoot, string name) => System.IO.Path.Combine(Folder(projectRoot), $"{name}.json");
}
