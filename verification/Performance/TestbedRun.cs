using System.Diagnostics;
using NUnit.Framework;
using Testbed.Measurement;

namespace Verification.Performance;

/// <summary>
/// The one-time set-up of the verification run: opens the stack through the engine and brings it up; at the end
/// prints the per-suite table, writes the results (and the baseline, when asked), and leaves the stack as found.
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
        var verdicts = run.Results.Select(run.Judge).ToList();
        var table = ResultTable.Render(run, verdicts, _clock.Elapsed);
        ProgressReporter.Line("");
        ProgressReporter.Line(table);

        var folder = Path.Combine(Repo.Results, $"{run.Info.Started:yyyyMMdd-HHmmss}-{run.Info.Stack}-{run.Info.Profile}");
        var (json, csv) = ResultFiles.Write(folder, new RunResults(run.Info, run.Results));
        File.WriteAllText(Path.Combine(folder, "table.txt"), table);
        ProgressReporter.Line($"verification: results in {Repo.Project.Relative(json)}, {Repo.Project.Relative(csv)}");

        if (!run.Settings.Record) return;
        // Only suites whose SAs were installed as declared become a baseline.
        var refusedRuns = run.AllRuns.Where(s => !s.SaCheck.Ok).ToList();
        foreach (var s in refusedRuns)
            ProgressReporter.Line($"verification: not recording {s.Case}: {string.Join("; ", s.SaCheck.Problems)}");
        var refused = refusedRuns.Select(s => (s.Case.Protection.Name, Testbed.Model.IpsecNames.Of(s.Case.Mode))).ToHashSet();
        var entries = run.Results.Where(r => !refused.Contains((r.Key.Protection, r.Key.Mode))).GroupBy(r => r.Key)
            .Select(g => BaselineEntry.From(g.ToList())).ToList();
        var machine = $"{run.Info.MachineHostname}, Linux {run.Info.MachineKernel}, {run.Info.MachineCpus} cpu; gateways " +
                      string.Join(", ", run.Info.Gateways.Select(g => $"{g.Host} Linux {g.Kernel}")) +
                      $"; median of {run.Settings.RecordPasses} pass{(run.Settings.RecordPasses == 1 ? "" : "es")}";
        var file = BaselineFile.Record(Repo.Project.Root, run.Settings.Stack, entries, machine);
        ProgressReporter.Line($"verification: recorded {entries.Count} baseline entries in {Repo.Project.Relative(file)}");
    }
}
