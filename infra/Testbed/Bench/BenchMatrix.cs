using System.Reflection;
using System.Text.Json.Serialization;
using Testbed.Measurement;
using System.Text.Json;
using Testbed.Model;

namespace Testbed.Bench;

/// <summary>What a figure of the report shows, and so how an experiment's cells are laid out.</summary>
public enum Figure
{
    /// <summary>Figures 1-4: throughput against message size, one chart per link; figure 5 (CPU) from its fastest link.</summary>
    Throughput,
    /// <summary>Figure 6: throughput against MTU.</summary>
    Mtu,
    /// <summary>Section 5: each tuning step added to the one before, per suite.</summary>
    Ablation,
    /// <summary>Tunnel against transport mode, per suite.</summary>
    Modes,
}

/// <summary>netperf's <c>-i max,min</c>.</summary>
public sealed record IterationSpec(int Max, int Min);

/// <summary>netperf's <c>-I level,width</c> (width: full interval in per cent of the mean).</summary>
public sealed record ConfidenceSpec(int Level, double Width);

/// <summary>
/// One experiment: a small cross-product of cases, message sizes, links, modes and host settings, laid out for one
/// kind of figure. The host settings are <see cref="Mtus"/> (plus the largest MTU the hosts take when
/// <see cref="MaxMtu"/>) times <see cref="Tunings"/>, or, for an ablation, its <see cref="Steps"/> at the first MTU
/// (the jumbo step at <see cref="JumboMtu"/>).
/// </summary>
public sealed record Experiment(
    string Name,
    Figure Figure,
    IReadOnlyList<string> Cases,
    IReadOnlyList<int> MessageSizes,
    IReadOnlyList<string> Links,
    IReadOnlyList<string> Modes,
    IReadOnlyList<int> Mtus,
    IReadOnlyList<string>? Tunings = null,
    IReadOnlyList<string>? Steps = null,
    bool MaxMtu = false,
    int JumboMtu = 9000,
    string? Description = null)
{
    [JsonIgnore]
    public int BaseMtu => Mtus.Count > 0 ? Mtus[0] : 1500;

    /// <summary>An ablation's steps in order (none for other experiments); valid once <see cref="Problems"/> found none.</summary>
    [JsonIgnore]
    public IReadOnlyList<AblationStep> AblationSteps => (Steps ?? []).Select(s => AblationStep.Find(s)!).ToList();

    /// <summary>The MTU an ablation step runs at: the first MTU, the jumbo step at <see cref="JumboMtu"/>.</summary>
    public int MtuOf(AblationStep step) => step.Jumbo ? JumboMtu : BaseMtu;

    public IEnumerable<string> Problems()
    {
        var at = $"experiment '{Name}'";
        foreach (var c in Cases.Where(c => Protection.Parse(c) is null)) yield return $"{at}: '{c}' is not a case name (plain, ah-md5, esp-aes128-sha1, …)";
        if (Cases.Count == 0) yield return $"{at}: it lists no cases";
        if (Cases.Distinct().Count() != Cases.Count) yield return $"{at}: a case is listed twice";
        if (MessageSizes.Count == 0) yield return $"{at}: it lists no message sizes";
        foreach (var s in MessageSizes.Where(s => s is < 1 or > 1 << 20)) yield return $"{at}: message size {s} is not 1 .. 1048576";
        if (Links.Count == 0) yield return $"{at}: it lists no links";
        foreach (var l in Links.Where(l => Link.Parse(l) is null)) yield return $"{at}: link '{l}' is not 10mbit, 100mbit, 1000mbit or unshaped";
        if (Modes.Count == 0) yield return $"{at}: it lists no modes";
        foreach (var m in Modes.Where(m => IpsecNames.ParseMode(m) is null)) yield return $"{at}: mode '{m}' is neither tunnel nor transport";
        if (Mtus.Count == 0) yield return $"{at}: it lists no MTU";
        foreach (var m in Mtus.Append(JumboMtu).Where(m => m is < 576 or > 65535)) yield return $"{at}: MTU {m} is not 576 .. 65535";
        if (Steps is null)
        {
            if (Tunings is not { Count: > 0 }) yield return $"{at}: it lists no tunings (stock, tcp, tuned) and no ablation steps";
            foreach (var t in (Tunings ?? []).Where(t => !TuningLevels.IsValid(t))) yield return $"{at}: tuning '{t}' is not stock, tcp or tuned";
        }
        else
        {
            if (Tunings is not null) yield return $"{at}: an ablation's steps set the tuning; drop 'tunings'";
            if (Mtus.Count != 1) yield return $"{at}: an ablation starts from one MTU ('mtus' has {Mtus.Count}); the jumbo step takes jumboMtu";
            foreach (var s in Steps.Where(s => AblationStep.Find(s) is null))
                yield return $"{at}: step '{s}' is not one of {string.Join(", ", AblationStep.All.Select(a => a.Name))}";
        }
        if (Figure == Figure.Ablation && Steps is null) yield return $"{at}: an ablation lists its steps";
        if (Figure == Figure.Modes && Modes.Count < 2) yield return $"{at}: comparing modes needs both tunnel and transport";
        if (Figure == Figure.Mtu && Mtus.Count + (MaxMtu ? 1 : 0) < 2) yield return $"{at}: a throughput-versus-MTU figure needs two MTUs or more";
    }

    /// <summary>The (tuning, MTU) pairs of the experiment, with the largest MTU the hosts take standing for "max".</summary>
    public IReadOnlyList<(string Tuning, int Mtu)> Settings(int hostMaxMtu)
    {
        if (Steps is not null)
            return AblationSteps.Select(s => (s.Tuning, MtuOf(s))).Distinct().ToList();
        var mtus = Mtus.Concat(MaxMtu ? [hostMaxMtu] : []).Where(m => m <= hostMaxMtu).Distinct().ToList();
        return Tunings!.SelectMany(t => mtus.Select(m => (t, m))).ToList();
    }
}

/// <summary>
/// A benchmark matrix: how netperf runs, and the experiments (each a small cross-product mirroring one of the
/// paper's figures) whose union is measured. Built in: <c>quick</c> and <c>full</c>
/// (<c>infra/Testbed/Bench/matrices/*.json</c>); any other file of the same form with <c>--matrix FILE</c>.
/// </summary>
public sealed record BenchMatrix(
    string Name,
    string Description,
    int Seconds,
    IterationSpec Iterations,
    ConfidenceSpec Confidence,
    IReadOnlyList<Experiment> Experiments)
{
    public static readonly IReadOnlyList<string> BuiltIn = ["quick", "full"];

    [JsonIgnore]
    public RunParameters Run => new(Seconds, Iterations.Max, Iterations.Min, Confidence.Level, Confidence.Width);

    public IEnumerable<string> Problems()
    {
        if (!Config.StackNames.IsValid(Name)) yield return $"name '{Name}' is not letters, digits, '-', '_' and '.'";
        if (new Measurement.NetperfRequest(System.Net.IPAddress.Loopback, System.Net.IPAddress.Loopback, 1, Seconds, Iterations.Max,
                Iterations.Min, Confidence.Level, Confidence.Width).Problem is { } p) yield return p;
        if (Experiments.Count == 0) yield return "it has no experiments";
        if (Experiments.Select(e => e.Name).Distinct().Count() != Experiments.Count) yield return "two experiments have the same name";
        foreach (var problem in Experiments.SelectMany(e => e.Problems())) yield return problem;
    }

    /// <summary>The matrix's JSON text: a built-in one by name, else a file.</summary>
    public static (string Text, string Source) Source(string nameOrFile)
    {
        if (BuiltIn.Contains(nameOrFile))
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"bench-matrix-{nameOrFile}.json")
                               ?? throw new InvalidOperationException($"the built-in matrix '{nameOrFile}' is missing from the assembly");
            using var reader = new StreamReader(stream);
            return (reader.ReadToEnd(), $"built-in matrix '{nameOrFile}'");
        }
        if (!File.Exists(nameOrFile))
            throw new InvalidDataException($"--matrix '{nameOrFile}' is neither a built-in matrix ({string.Join(", ", BuiltIn)}) nor a file");
        return (File.ReadAllText(nameOrFile), nameOrFile);
    }

    public static BenchMatrix Load(string nameOrFile)
    {
        var (text, source) = Source(nameOrFile);
        return Parse(text, source);
    }

    /// <summary>Reads and checks a matrix; every problem is reported at once, naming where it came from.</summary>
    public static BenchMatrix Parse(string text, string source)
    {
        var m = DataJson.Parse<BenchMatrix>(text, source, BenchJson.Matrix);
        var problems = m.Problems().ToList();
        if (problems.Count > 0) throw new InvalidDataException($"{source}: {string.Join("; ", problems)}");
        return m;
    }
}
