using System.Diagnostics;
using NUnit.Framework;
using Testbed.Measurement;
using Testbed.Measurement.Detection;

namespace Verification.Performance;

/// <summary>
/// The one-time set-up of the verification run: opens the stack through the engine and brings it up; at the end
/// prints the per-case table, writes the results (and the baseline, when asked), and leaves the stack as found.
/// </summary>
[SetUpFixture]
public sealed class TestbedRun
{
    static RunContext? _context;
    readonly Stopwatch _clock = new();

    public static RunContext Context =>
        _context ?? throw new InvalidOperationException("the verification run did not start; see the one-time set-up failure");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _clock.Start();
        _context = await RunContext.OpenAsync(Settings.Current, CancellationToken.None);
        ProgressReporter.Line($"verification: stack ready after {_clock.Elapsed.TotalSeconds:0} s");
    }

    [OneTimeTearDown]
    public async Task FinishAsync()
    {
        if (_context is not { } run) return;
        try
        {
            Report(run);
        }
        finally
        {
            try
            {
                await RunContext.PutBackAsync(run.Deployment, run.WasUp, run.Settings.Keep, CancellationToken.None);
            }
            finally
            {
                await run.Deployment.DisposeAsync();
                _context = null;
            }
            ProgressReporter.Line($"verification: done in {_clock.Elapsed:mm\\:ss}");
        }
    }

    void Report(RunContext run)
    {
        if (run.Samples.All.Count == 0) return;
        var verdicts = run.Settings.Record ? [] : ResultTable.Verdicts(run);
        var table = ResultTable.Render(run, verdicts, _clock.Elapsed);
        ProgressReporter.Line("");
        ProgressReporter.Line(table);

        var folder = Path.Combine(Repo.Results, $"{run.Info.Started:yyyyMMdd-HHmmss}-{run.Info.Stack}-{run.Info.Profile}");
        // Both looks' samples, when there were two: the first one's are what called for the second (visits numbered on).
        var taken = RunSamples.Looks(run.Samples, run.FirstLook?.Samples).Select(l => l.Sample);
        var (json, csv) = ResultFiles.Write(folder, new RunResults(run.Info, taken.Select(t => t.Result with { RatioToPlain = t.RatioToPlain is { } r ? new Estimate(r, null) : null, Pass = t.Visit }).ToList()));
        File.WriteAllText(Path.Combine(folder, "table.txt"), table);
        ResultTable.WriteVerdicts(Path.Combine(folder, "verdicts.json"), run, verdicts);
        ResultTable.WriteSamples(Path.Combine(folder, "samples.tsv"), run.Samples, run.FirstLook?.Samples);
        ProgressReporter.Line($"verification: results in {Repo.Project.Relative(json)}, {Repo.Project.Relative(csv)}, verdicts.json, samples.tsv");

        if (!run.Settings.Record) return;
        // Only suites whose SAs were installed as declared become a baseline.
        var refused = run.Samples.All.Select(t => t.Result.Key.Protection).Distinct()
            .Where(p => SuiteCases.Of(run.Profile, run.Deployment.Spec).Any(s => s.Protection.Name == p && run.Measured(s) && !run.CheckOf(s).SaCheck.Ok)).ToHashSet();
        foreach (var p in refused) ProgressReporter.Line($"verification: not recording {p}: its SAs were not as declared");
        var entries = run.Samples.All.Where(t => t.Side == Side.Stack && !refused.Contains(t.Result.Key.Protection))
            .GroupBy(t => t.Result.Key).Select(g => Entry(g.ToList())).ToList();
        var machine = $"{run.Info.Started.UtcDateTime:yyyy-MM-dd HH:mm}Z on {run.Info.MachineHostname}, Linux {run.Info.MachineKernel}, {run.Info.MachineCpus} cpu; gateways " +
                      string.Join(", ", run.Info.Gateways.Select(g => $"{g.Host} Linux {g.Kernel}")) +
                      $"; {run.Settings.RecordPasses} pass{(run.Settings.RecordPasses == 1 ? "" : "es")} of {run.Profile.Sampling.Visits} visits, " +
                      $"{run.Profile.Sampling.Seconds} s samples";
        var (path, file) = BaselineFile.Record(Repo.Project.Root, run.Settings.Stack, entries, machine, ReferenceDeclaration.Of(run.Deployment.Spec),
            run.Settings.AddSession, run.Kernels);
        ProgressReporter.Line($"verification: recorded {entries.Count} baseline entries in {Repo.Project.Relative(path)}");
        foreach (var e in file.Entries)
            foreach (var (name, m) in new[] { ("throughput", e.Throughput), ("ratio to plain IP", e.RatioToPlain) })
                if (m is not null && Comparison.CannotJudge(name, Worse.Lower, m.Drift) is not null)
                    ProgressReporter.Line($"verification: {e.Protection} {name} drifted {ShiftVerdict.Pct(m.Drift)} between the visits recorded; " +
                                          "no fall of it can be judged against this recording (record on a quieter machine)");
    }

    /// <summary>A case's baseline: every metric's samples grouped by the visit they were taken in (the visits give the drift).</summary>
    static BaselineEntry Entry(IReadOnlyList<Taken> samples)
    {
        var k = samples[0].Result.Key;
        IReadOnlyList<IReadOnlyList<double>> ByVisit(Metric m) =>
            samples.GroupBy(t => t.Visit).Select(g => (IReadOnlyList<double>)RunSamples.Values(g, m).Select(v => v.Value).ToList()).ToList();
        return new BaselineEntry(k.Protection, k.Mode, k.MessageSize, k.Mtu, k.Profile,
            MetricBaseline.Of(ByVisit(Metric.Throughput))!, k.Protection == "plain" ? null : MetricBaseline.Of(ByVisit(Metric.Ratio)),
            MetricBaseline.Of(ByVisit(Metric.Cpu))!, samples[0].Result.CpuSource, samples.Select(t => t.Visit).Distinct().Count(),
            samples.Max(t => t.Result.Started));
    }
}
