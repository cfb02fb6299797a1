using System.Globalization;
using System.Text;
using System.Text.Json;
using Testbed.Measurement;
using Testbed.Measurement.Detection;
using Testbed.Model;

namespace Verification.Performance;

/// <summary>
/// The per-case table printed at the end of a run: the samples' centres of each metric against the reference's, the
/// worsening with its 95 % interval, the threshold, the test, the smallest worsening the run could have seen, and the
/// verdict; then the IPsec suites judged together.
/// </summary>
public static class ResultTable
{
    /// <summary>Every case of the stack's side, judged, and the pooled verdicts.</summary>
    public static IReadOnlyList<CaseVerdict> Verdicts(RunContext run)
    {
        var keys = run.Samples.Keys.Where(k => k.Side == Side.Stack)
            .OrderBy(k => k.Mode, StringComparer.Ordinal).ThenBy(k => k.Protection == "plain" ? "" : k.Protection, StringComparer.Ordinal)
            .ThenBy(k => k.MessageSize).ToList();
        return [.. keys.Select(k => run.Judge(k, Protection.Parse(k.Protection)?.Label ?? k.Protection)), .. run.PooledVerdicts()];
    }

    public static string Render(RunContext run, IReadOnlyList<CaseVerdict> verdicts, TimeSpan elapsed)
    {
        var info = run.Info;
        var sb = new StringBuilder();
        sb.AppendLine($"Verification: stack {info.Stack} ({info.Provider}), profile {info.Profile}, judged against {run.Against.Name}");
        sb.AppendLine($"  gateways: {string.Join("; ", info.Gateways.Select(g => $"{g.Host} Linux {g.Kernel} {g.Machine}, {g.Cpus} cpu, {g.Netperf}"))}");
        sb.AppendLine($"  machine: {info.MachineHostname}, Linux {info.MachineKernel}, {info.MachineCpus} cpu; run took {elapsed:mm\\:ss}, sampling {run.SamplingTime:mm\\:ss}, seed {run.Seed}");
        if (run.KernelChange is { } change) sb.AppendLine($"  KERNELS: {change}");
        if (run.FirstLook is { } first)
            sb.AppendLine($"  SECOND LOOK: the first look ({first.Samples.All.Count} samples) called {first.Summary}; measured again, " +
                          "and the verdicts below are the second look's (the run fails only if it calls a regression too)");
        var s = run.Profile.Sampling;
        var taken = run.Samples.All;
        sb.AppendLine($"  samples: netperf TCP_STREAM {s.Seconds} s each, {s.PerVisit} rounds per visit, {s.Visits} visits per side; {taken.Count} taken, " +
                      $"{taken.Sum(t => t.Retries)} taken again because this machine did more than {s.MaxOtherLoadPercent:0} % of a core of other work" +
                      (taken.Any(t => t.Result.OtherLoadPercent is not null)
                          ? $" (other load median {Median(taken.Select(t => t.Result.OtherLoadPercent ?? 0)):0} %)" : ""));
        sb.AppendLine($"  CPU per Mbit/s: % of one core (both gateways) per Mbit/s, from {taken.FirstOrDefault()?.Result.CpuSource}; ratio = suite / plain IP taken beside it");
        sb.AppendLine($"  each metric: one-sided Mann-Whitney at alpha {run.Thresholds.Alpha}; shift = Hodges-Lehmann worsening (+ worse) with its 95 % interval; " +
                      "'could see' = the worsening this run would have caught with 90 % power");
        sb.AppendLine();
        if (run.Settings.Record)
        {
            sb.AppendLine("recording: nothing is judged; the samples become the baseline");
            return sb.ToString();
        }

        var header = new[] { "case", "mode", "size", "metric", "n", "measured", "reference", "shift", "95 % interval", "threshold", "p", "could see", "verdict" };
        var rows = new List<string[]> { header };
        foreach (var v in verdicts)
        {
            var name = v.Key.Protection;
            if (v.Problems.Count > 0)
            {
                rows.Add([name, v.Key.Mode, N(v.Key.MessageSize), "-", "-", "-", "-", "-", "-", "-", "-", "-", "not judged: " + v.Problems[0]]);
                continue;
            }
            foreach (var problem in v.ReportedProblems)
                rows.Add([name, v.Key.Mode, N(v.Key.MessageSize), "-", "-", "-", "-", "-", "-", "-", "-", "-", "not shown: " + problem]);
            foreach (var (c, judged) in v.Compared)
                rows.Add([name, v.Key.Mode, N(v.Key.MessageSize), CaseVerdict.Short(c.Metric), $"{c.MeasuredCount}/{c.ReferenceCount}",
                    F(c.MeasuredCenter), F(c.ReferenceCenter), ShiftVerdict.Pct(c.Worsening), $"{ShiftVerdict.Pct(c.WorseningLow)} … {ShiftVerdict.Pct(c.WorseningHigh)}",
                    ShiftVerdict.Pct(c.Threshold), c.PValue.ToString("0.0000", CultureInfo.InvariantCulture), ShiftVerdict.Pct(c.Detectable),
                    !judged ? "shown, not judged" : c.Regressed ? "REGRESSED" : "ok"]);
        }
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(row => row[i].Length)).ToArray();
        foreach (var row in rows)
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => i is >= 2 and <= 11 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        var counted = verdicts.Count(v => !v.ShownOnly);
        var failed = verdicts.Count(v => !v.Passed);
        sb.AppendLine();
        sb.AppendLine(failed == 0 ? $"all {counted} verdicts ok" : $"{failed} of {counted} verdicts failed");
        return sb.ToString();
    }

    /// <summary>
    /// The verdicts as data, for tools: <c>verdicts.json</c>, and <c>verdicts.tsv</c> beside it with one line per metric judged
    /// (the detector benchmark reads that one with awk).
    /// </summary>
    public static void WriteVerdicts(string file, RunContext run, IReadOnlyList<CaseVerdict> verdicts)
    {
        var tsv = new StringBuilder();
        tsv.AppendLine($"# stack={run.Info.Stack} same_run_reference={run.SameRunReference.ToString().ToLowerInvariant()} " +
                       $"sampling_seconds={run.SamplingTime.TotalSeconds:0} samples={run.Samples.All.Count} retries={run.Samples.All.Sum(t => t.Retries)} " +
                       $"looks={(run.FirstLook is null ? 1 : 2)} first_look_fired={run.FirstLook?.Fired ?? "-"}");
        tsv.AppendLine("protection\tmode\tsize\tmetric\tregressed\tworsening\tlow\thigh\tthreshold\tp\tdetectable\tproblem");
        string I(double v) => v.ToString("0.#####", CultureInfo.InvariantCulture);
        foreach (var v in verdicts)
        {
            foreach (var problem in v.Problems)
                tsv.AppendLine($"{v.Key.Protection}\t{v.Key.Mode}\t{v.Key.MessageSize}\t-\tnot-judged\t\t\t\t\t\t\t{problem.Replace('\t', ' ')}");
            foreach (var (c, judged) in v.Compared)
                tsv.AppendLine($"{v.Key.Protection}\t{v.Key.Mode}\t{v.Key.MessageSize}\t{CaseVerdict.Short(c.Metric)}\t" +
                               $"{(!judged ? "shown" : c.Regressed ? "yes" : "no")}\t{I(c.Worsening)}\t{I(c.WorseningLow)}\t{I(c.WorseningHigh)}\t{I(c.Threshold)}\t{I(c.PValue)}\t{I(c.Detectable)}\t");
        }
        File.WriteAllText(Path.ChangeExtension(file, ".tsv"), tsv.ToString());
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            run.Info.Stack,
            run.Info.Profile,
            Against = run.Against.Name,
            SameRunReference = run.SameRunReference,
            run.Differences,
            run.Seed,
            SamplingSeconds = run.SamplingTime.TotalSeconds,
            FirstLook = run.FirstLook is { } look ? new { Samples = look.Samples.All.Count, Alarms = look.Alarms.Select(a => new { a.Subject, Checks = a.Checks }) } : null,
            Verdicts = verdicts.Select(v => new
            {
                v.Key.Protection, v.Key.Mode, v.Key.MessageSize, v.Passed, v.ShownOnly, v.Problems,
                Checks = v.Checks,
                Shown = v.Reported,
            }),
        }, VerificationJson.Reflecting) + "\n");
    }

    /// <summary>
    /// Every sample as the judge saw it, one line each: side, visit, case, the three metrics, and the look it belongs to
    /// (2: the second look, which the run was judged on; 1: the only look, or the first that called for a second).
    /// results.json holds the full measurements but not the side a sample was taken on; this file lets a run be judged
    /// again under other thresholds (the detector benchmark keeps it per run).
    /// </summary>
    public static void WriteSamples(string file, RunSamples samples, RunSamples? firstLook = null)
    {
        var tsv = new StringBuilder("side\tvisit\tprotection\tmode\tsize\tmtu\tmbps\tcpu_per_mbit\tratio\tretries\tlook\n");
        string I(double? v) => v?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";
        foreach (var (t, look) in RunSamples.Looks(samples, firstLook))
            tsv.Append($"{t.Side.ToString().ToLowerInvariant()}\t{t.Visit}\t{t.Result.Key.Protection}\t{t.Result.Key.Mode}\t" +
                       $"{t.Result.Key.MessageSize}\t{t.Result.Key.Mtu}\t{I(t.Result.Netperf.Mbps)}\t{I(t.Result.CpuPerMbit)}\t{I(t.RatioToPlain)}\t{t.Retries}\t{look}\n");
        File.WriteAllText(file, tsv.ToString());
    }

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? 0 : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

    static string F(double v) => v >= 100 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
}
