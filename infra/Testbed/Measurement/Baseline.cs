using System.Text.Json;
using System.Text.Json.Serialization;

namespace Testbed.Measurement;

/// <summary>
/// The baseline of one case: what the tuned stack delivered when it was recorded, with the confidence it was
/// known to. Keyed by protection, mode, message size, MTU and profile.
/// </summary>
public sealed record BaselineEntry(
    string Protection,
    string Mode,
    int MessageSize,
    int Mtu,
    string Profile,
    double ThroughputMbps,
    double? ThroughputHalfWidth,
    double? RatioToPlain,
    double? RatioHalfWidth,
    double CpuPerMbit,
    string CpuSource,
    DateTimeOffset Recorded)
{
    [JsonIgnore]
    public CaseKey Key => new(Protection, Mode, MessageSize, Mtu, Profile);

    /// <summary>
    /// The baseline of one case from one or more passes over it: each figure is the median over the passes, so a
    /// pass disturbed by other work on the machine does not become the reference.
    /// </summary>
    public static BaselineEntry From(IReadOnlyList<CaseResult> passes)
    {
        var c = passes.Count > 0 ? passes[^1] : throw new ArgumentException("no measurement to record", nameof(passes));
        if (passes.Any(p => p.Key != c.Key || p.CpuSource != c.CpuSource)) throw new ArgumentException("passes of different cases", nameof(passes));
        return new BaselineEntry(c.Key.Protection, c.Key.Mode, c.Key.MessageSize, c.Key.Mtu, c.Key.Profile,
            Math.Round(Median(passes.Select(p => (double?)p.Netperf.Mbps))!.Value, 2), Round(Median(passes.Select(p => p.Netperf.RelativeHalfWidth))),
            Round(Median(passes.Select(p => p.RatioToPlain?.Value))), Round(Median(passes.Select(p => p.RatioToPlain?.RelativeHalfWidth))),
            Round(Median(passes.Select(p => (double?)p.CpuPerMbit)))!.Value, c.CpuSource, passes.Max(p => p.Started));
    }

    /// <summary>The median of the known values; null when none is known.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is { } d && double.IsFinite(d)).Select(v => v!.Value).Order().ToList();
        if (known.Count == 0) return null;
        var mid = known.Count / 2;
        return known.Count % 2 == 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
    }

    static double? Round(double? v) => v is { } d ? Math.Round(d, 5) : null;
}

/// <summary>
/// <c>verification/baselines/&lt;stack&gt;.json</c>: the baselines recorded on one stack, and where. Written only when
/// asked (the verification suite with <c>TESTBED_RECORD_BASELINE=N</c>, or <c>bench --record-baseline</c>); a recording
/// replaces the entries it measured and keeps the others.
/// </summary>
public sealed record BaselineFile(string Stack, string RecordedOn, IReadOnlyList<BaselineEntry> Entries)
{
    /// <summary>Where a stack's baseline lives in the project: <c>verification/baselines/&lt;stack&gt;.json</c>.</summary>
    public static string PathFor(string projectRoot, string stack) => System.IO.Path.Combine(projectRoot, "verification", "baselines", $"{stack}.json");

    public BaselineEntry? Find(CaseKey key) => Entries.FirstOrDefault(e => e.Key == key);

    /// <summary>Reads a baseline file; null when there is none, an error naming the file when it is malformed.</summary>
    public static BaselineFile? Read(string file)
        => File.Exists(file) ? DataJson.Read<BaselineFile>(file) : null;

    /// <summary>
    /// Records entries in a stack's baseline file (a new file when it has none): they replace the entries with their
    /// keys, the others are kept. Returns the file's path.
    /// </summary>
    public static string Record(string projectRoot, string stack, IEnumerable<BaselineEntry> recorded, string recordedOn)
    {
        var file = PathFor(projectRoot, stack);
        return (Read(file) ?? new BaselineFile(stack, recordedOn, [])).Merge(recorded, recordedOn).Write(file);
    }

    public BaselineFile Merge(IEnumerable<BaselineEntry> recorded, string recordedOn)
    {
        var fresh = recorded.ToList();
        var kept = Entries.Where(e => !fresh.Any(f => f.Key == e.Key));
        var all = kept.Concat(fresh)
            .OrderBy(e => e.Profile, StringComparer.Ordinal).ThenBy(e => e.Mtu).ThenBy(e => e.Mode, StringComparer.Ordinal)
            .ThenBy(e => e.Protection == "plain" ? "" : e.Protection, StringComparer.Ordinal).ThenBy(e => e.MessageSize)
            .ToList();
        return this with { RecordedOn = recordedOn, Entries = all };
    }

    public string Write(string file)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, JsonSerializer.Serialize(this, DataJson.Options) + "\n");
        return file;
    }
}

/// <summary><c>verification/profiles/&lt;name&gt;.json</c>: what the verification suite measures, which <c>bench --record-baseline</c> follows too.</summary>
public static class ProfileFile
{
    public static string Folder(string projectRoot) => System.IO.Path.Combine(projectRoot, "verification", "profiles");

    public static string PathFor(string projectRoot, string name) => System.IO.Path.Combine(Folder(projectRoot), $"{name}.json");
}
