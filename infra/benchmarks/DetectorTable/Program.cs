// The table of the detector benchmark: per scenario, in the order first seen, how often the verification suite called
// a regression (for clean and benign runs that is the false-alarm rate) with its exact 95 % interval, the size the
// runs measured (median over runs of the pooled IPsec suites' CPU-per-Mbit/s and ratio worsening), the smallest
// worsening each run could have seen (median), how many times its samples a run would need to see the target (15 %
// unless --target says otherwise; median over runs; both sides' samples scaled alike, so against a recording the
// baseline recorded again with the larger profile too), how many runs left a case not judged (counted as not
// detected), how many failed to measure (no pooled verdict: CI fails such a run, but it says nothing of the detector,
// so it is left out of the rate and counted on its own), how many runs looked twice (a pooled alarm against a recording
// on a shared machine is measured again; "confirmed": the second look called it too), and the wall time per run.
//
//   dotnet run --project infra/benchmarks/DetectorTable -- [--target PERCENT] runs.tsv [more.tsv ...]
using System.Globalization;
using Testbed.Measurement.Detection;

var target = 0.15;
if (args is ["--target", var t, ..])
{
    if (!double.TryParse(t, CultureInfo.InvariantCulture, out var percent) || !double.IsFinite(percent) || percent <= 0 || percent >= 100)
    {
        Console.Error.WriteLine($"--target takes a worsening in per cent between 0 and 100, not '{t}'");
        return 2;
    }
    (target, args) = (percent / 100, args[2..]);
}
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: DetectorTable [--target PERCENT] runs.tsv [more.tsv ...] (written by infra/benchmarks/detector-power.sh)");
    return 2;
}

var runs = new List<Run>();
foreach (var file in args)
{
    var lines = File.ReadAllLines(file);
    if (lines.Length == 0) continue;
    var header = lines[0].Split('\t');
    int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{file}: no column '{name}'");
    var (scenario, wall, detected, fired, cpu, ratio, dcpu, dratio) =
        (Col("scenario"), Col("wall_s"), Col("detected"), Col("fired"), Col("cpu_pooled"), Col("ratio_pooled"), Col("detectable_cpu"), Col("detectable_ratio"));
    var notJudged = Array.IndexOf(header, "not_judged"); // absent in files of the first version
    var (tcpu, tratio) = (Array.IndexOf(header, "threshold_cpu"), Array.IndexOf(header, "threshold_ratio")); // absent before 12-07
    var looks = Array.IndexOf(header, "looks"); // absent before the second look (12-08)
    foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
    {
        var f = line.Split('\t');
        string At(int i) => i >= 0 && i < f.Length ? f[i] : "";
        runs.Add(new Run(f[scenario], double.Parse(f[wall], CultureInfo.InvariantCulture), f[detected] == "1", f[fired],
            Num(f[cpu]), Num(f[ratio]), Num(f[dcpu]), Num(f[dratio]), Num(At(notJudged)) > 0,
            SamplesFor(Worse.Higher, Num(At(tcpu)), Num(f[dcpu])), SamplesFor(Worse.Lower, Num(At(tratio)), Num(f[dratio])),
            Failed: Num(f[cpu]) is null && Num(f[ratio]) is null, LookedTwice: At(looks) == "2"));
    }
}

Console.WriteLine("| scenario | runs | regression called (clean, benign: false alarm) | size measured, pooled: cpu / ratio | could see: cpu / ratio | " +
                  $"samples to see {100 * target:0.#} %: cpu / ratio | verdicts that fired | runs with a case not judged | runs that failed to measure | looked twice (confirmed) | wall per run |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var all in runs.GroupBy(r => r.Scenario))
{
    var g = all.Where(r => !r.Failed).ToList();
    var rate = new DetectionRate(g.Count(r => r.Detected), g.Count);
    var fired = g.SelectMany(r => r.Fired.Split(',', StringSplitOptions.RemoveEmptyEntries)).Where(f => f != "-")
        .GroupBy(f => f).OrderByDescending(f => f.Count()).Select(f => $"{f.Key} ×{f.Count()}");
    Console.WriteLine($"| {all.Key} | {rate.Runs} | {(rate.Runs > 0 ? rate.ToString() : "-")} | {Pct(Median(g.Select(r => r.Cpu)))} / {Pct(Median(g.Select(r => r.Ratio)))} | " +
                      $"{Pct(Median(g.Select(r => r.DetectableCpu)))} / {Pct(Median(g.Select(r => r.DetectableRatio)))} | " +
                      $"{Times(Median(g.Select(r => r.SamplesCpu)))} / {Times(Median(g.Select(r => r.SamplesRatio)))} | " +
                      $"{(fired.Any() ? string.Join(", ", fired) : "-")} | {g.Count(r => r.NotJudged)} | {all.Count(r => r.Failed)} | " +
                      $"{g.Count(r => r.LookedTwice)} ({g.Count(r => r.LookedTwice && r.Detected)}) | {all.Average(r => r.Wall):0} s |");
}
return 0;

static double? Num(string s) => double.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : null;

static double? Median(IEnumerable<double?> values)
{
    var v = values.OfType<double>().Order().ToList();
    return v.Count == 0 ? null : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
}

// A target at or below a run's threshold no number of samples reaches: "never".
static string Times(double? v) => v switch { null => "-", double.PositiveInfinity => "never", var x => "×" + x.Value.ToString("0.0", CultureInfo.InvariantCulture) };

double? SamplesFor(Worse worse, double? threshold, double? detectable) =>
    threshold is { } th && detectable is { } d ? ShiftVerdict.SamplesFor(worse, th, d, target) : null;

static string Pct(double? v) => v is { } x ? (100 * x).ToString("+0;-0;0", CultureInfo.InvariantCulture) + "%" : "-";

sealed record Run(string Scenario, double Wall, bool Detected, string Fired, double? Cpu, double? Ratio, double? DetectableCpu, double? DetectableRatio,
    bool NotJudged, double? SamplesCpu, double? SamplesRatio, bool Failed, bool LookedTwice);
