using System.Text.Json;
using System.Text.Json.Serialization;
using Pragmastat;

namespace Testbed.Measurement;

/// <summary>
/// One metric of one case as recorded: every sample (the reference a later run's samples are tested against), their
/// centre (Hodges-Lehmann), and the drift: how far the centres of the recording's visits lay from each other (the
/// largest relative distance of one from their median). Drift is the run-to-run noise a comparison with figures
/// from another time has to tolerate; a same-run reference does not.
/// </summary>
public sealed record MetricBaseline(double Center, double Drift, IReadOnlyList<double> Samples)
{
    /// <summary>The baseline of one metric from its samples, grouped by the visit (a stretch of time) they were taken in.</summary>
    public static MetricBaseline? Of(IReadOnlyList<IReadOnlyList<double>> byVisit)
    {
        var all = byVisit.SelectMany(v => v).Where(v => double.IsFinite(v) && v > 0).ToList();
        if (all.Count == 0) return null;
        var centers = byVisit.Select(v => v.Where(x => double.IsFinite(x) && x > 0).ToArray()).Where(v => v.Length > 0)
            .Select(v => Toolkit.Center(new Sample(v)).NominalValue).ToList();
        var median = Toolkit.Center(new Sample([.. centers])).NominalValue;
        var drift = centers.Count < 2 ? 0 : centers.Max(c => Math.Exp(Math.Abs(Math.Log(c / median))) - 1);
        return new MetricBaseline(Round(Toolkit.Center(new Sample([.. all])).NominalValue), Round(drift), all.Select(Round).ToList());
    }

    static double Round(double v) => Math.Round(v, 6);
}

/// <summary>
/// The baseline of one case: the recorded samples of each metric. Keyed by protection, mode, message size, MTU and
/// profile.
/// </summary>
/// <param name="Visits">How many visits (stretches of time, over all recording passes) the samples came from.</param>
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
    DateTimeOffset Recorded)
{
    [JsonIgnore]
    public CaseKey Key => new(Protection, Mode, MessageSize, Mtu, Profile);
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
/// recording replaces the entries it measured and keeps the others.
/// </summary>
/// <param name="Version">2: samples per metric (1 held netperf's means and intervals, which this judge cannot use).</param>
public sealed record BaselineFile(int Version, string Stack, string RecordedOn, ReferenceDeclaration? Reference, IReadOnlyList<BaselineEntry> Entries)
{
    public const int CurrentVersion = 2;

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
    /// keys, the others are kept. Returns the file's path.
    /// </summary>
    public static string Record(string projectRoot, string stack, IEnumerable<BaselineEntry> recorded, string recordedOn, ReferenceDeclaration reference)
    {
        var file = PathFor(projectRoot, stack);
        var old = File.Exists(file) && IsCurrent(file) ? Read(file) : null;
        return (old ?? new BaselineFile(CurrentVersion, stack, recordedOn, reference, [])).Merge(recorded, recordedOn, reference).Write(file);
    }

    static bool IsCurrent(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return doc.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == CurrentVersion;
    }

    public BaselineFile Merge(IEnumerable<BaselineEntry> recorded, string recordedOn, ReferenceDeclaration reference)
    {
        var fresh = recorded.ToList();
        // Entries recorded under another declaration are not this reference's: a new reference starts a new file.
        var keep = Reference is { } r && r.Differences(reference).Count == 0 ? Entries.Where(e => !fresh.Any(f => f.Key == e.Key)) : [];
        var all = keep.Concat(fresh)
            .OrderBy(e => e.Profile, StringComparer.Ordinal).ThenBy(e => e.Mtu).ThenBy(e => e.Mode, StringComparer.Ordinal)
            .ThenBy(e => e.Protection == "plain" ? "" : e.Protection, StringComparer.Ordinal).ThenBy(e => e.MessageSize)
            .ToList();
        return this with { Version = CurrentVersion, RecordedOn = recordedOn, Reference = reference, Entries = all };
    }

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
