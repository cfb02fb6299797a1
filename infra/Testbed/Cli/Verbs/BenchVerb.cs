using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Testbed.Engine;
using Testbed.Bench;
using Testbed.Config;
using Testbed.Model;

namespace Testbed.Cli.Verbs;

/// <summary>
/// <c>bench</c>: the paper's figures on this stack. Runs a matrix of cells (suites x message sizes x links x modes x MTU
/// x tuning steps, as a union of small experiments), resumable, then writes results.csv/json and a report folder with
/// the charts and the findings. See docs/bench.md.
/// </summary>
public static class BenchVerb
{
    public sealed record Options(string Stack, string Matrix, string? Out, bool ReportOnly, bool DryRun, bool Keep);

    public static Command Build()
    {
        var stack = Verb.StackOption();
        var quick = new Option<bool>("--quick") { Description = "The quick matrix (under 15 minutes on the local stack): same as --matrix quick" };
        var matrix = new Option<string?>("--matrix", "-m") { Description = "A built-in matrix (quick, full) or a matrix file; default full, the paper's" };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder (default results/bench/<stack>-<matrix>/); a rerun with the same folder resumes" };
        var reportOnly = new Option<bool>("--report-only") { Description = "Measure nothing: rebuild results and report from the output folder" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the cells and the estimated time, measure nothing" };
        var keep = new Option<bool>("--keep") { Description = "Leave a stack the bench brought up running (as its file declares)" };
        var cmd = new Command("bench", "Reproduce the paper's figures: a resumable benchmark matrix, results.csv/json and a report with charts and findings")
        {
            stack, quick, matrix, output, reportOnly, dryRun, keep,
        };
        cmd.SetAction((pr, ct) => Verb.Guard(() =>
        {
            if (pr.GetValue(quick) && pr.GetValue(matrix) is { } m && m != "quick")
                return Task.FromResult(BadInput("--quick and --matrix name two matrices; give one"));
            var options = new Options(pr.GetValue(stack)!, pr.GetValue(quick) ? "quick" : pr.GetValue(matrix) ?? "full", pr.GetValue(output),
                pr.GetValue(reportOnly), pr.GetValue(dryRun), pr.GetValue(keep));
            return Run(options, ct);
        }));
        return cmd;
    }

    static int BadInput(string message)
    {
        Verb.Console.MarkupLineInterpolated($"[red]error: {message}[/]");
        return Exit.BadInput;
    }

    public static async Task<int> Run(Options o, CancellationToken ct)
    {
        var console = Verb.Console;
        var clock = Stopwatch.StartNew();
        var project = Verb.Project();
        var folder = Path.GetFullPath(o.Out ?? Path.Combine(project.Root, "results", "bench", $"{o.Stack}-{MatrixName(o.Matrix)}"));
        var store = new ResultsStore(folder);
        var matrixFile = Path.Combine(folder, "matrix.json");

        BenchMatrix matrix;
        string matrixText;
        try
        {
            (matrixText, var source) = o.ReportOnly && File.Exists(matrixFile) ? (File.ReadAllText(matrixFile), matrixFile) : BenchMatrix.Source(o.Matrix);
            matrix = BenchMatrix.Parse(matrixText, source);
        }
        catch (InvalidDataException e)
        {
            return BadInput(e.Message);
        }
        var stackSpec = StackLoader.Load(project, o.Stack);
        IBenchProgress progress = Console.IsOutputRedirected ? new LineProgress(console) : new LiveProgress(console);
        var reporter = new BenchReporter(() => progress);

        int hostMaxMtu, startMtu;
        BenchOutcome? outcome = null;
        if (o.ReportOnly)
        {
            var sessions = store.Sessions();
            hostMaxMtu = sessions.LastOrDefault()?.HostMaxMtu ?? stackSpec.Mtu;
            startMtu = stackSpec.Mtu;
            if (store.Records().Count == 0) return BadInput($"{project.Relative(store.CellsFile)} holds no results to report on");
        }
        else
        {
            await ReportFonts.EnsureAsync(reporter, ct);
            await using var d = Verb.Open(o.Stack, "bench", reporter, exclusive: !o.DryRun);
            var runner = new BenchRunner(d, matrix, store, progress);
            if (o.DryRun) return DryRun(await runner.PlanAsync(ct), d, matrix, console);
            Directory.CreateDirectory(folder);
            File.WriteAllText(matrixFile, matrixText);
            console.MarkupLineInterpolated($"bench: results in [bold]{project.Relative(folder)}[/]");
            outcome = await runner.RunAsync(o.Keep, ct);
            (hostMaxMtu, startMtu) = (outcome.Plan.HostMaxMtu, outcome.Plan.StartMtu);
        }

        var data = BenchData.Join(matrix, o.Stack, hostMaxMtu, startMtu, store.Records(), store.Sessions());
        if (store.Unreadable > 0) console.MarkupLineInterpolated($"[yellow]warning: {store.Unreadable} unreadable line(s) in {store.CellsFile} were skipped (a write cut short)[/]");
        var (json, csv) = BenchFiles.Write(folder, data);
        var report = ReportBuilder.Build(folder, data, data.HasHostSideCpu);
        console.MarkupLineInterpolated($"bench: {project.Relative(csv)}, {project.Relative(json)}");
        console.MarkupLineInterpolated($"bench: report {project.Relative(report.Markdown)} with {report.Charts.Count} charts (PNG and SVG)");
        foreach (var c in report.Findings.Claims)
            console.MarkupLineInterpolated($"  {c.Statement}: [bold]{Findings.Text(c.Verdict)}[/] ({c.Summary})");

        if (outcome is not null)
        {
            console.MarkupLineInterpolated($"bench: {outcome.Measured} cells measured, {outcome.Failed} failed, {outcome.Skipped} skipped (done before) of {outcome.Planned}; wall time {Duration.Format(clock.Elapsed)}");
            if (outcome.Interrupted) return 130;
            if (outcome.Stopped) return Exit.Failed;
            return outcome.Failed > 0 ? Exit.Failed : Exit.Ok;
        }
        return Exit.Ok;
    }

    static string MatrixName(string matrix) =>
        BenchMatrix.BuiltIn.Contains(matrix) ? matrix : Path.GetFileNameWithoutExtension(matrix);

    static int DryRun(BenchSchedule plan, Deployment d, BenchMatrix matrix, IAnsiConsole console)
    {
        var stack = d.Spec;
        console.MarkupLineInterpolated($"bench: matrix [bold]{matrix.Name}[/] on stack {stack.Stack}: {matrix.Description}");
        console.MarkupLineInterpolated($"bench: netperf {matrix.Run}");
        foreach (var e in matrix.Experiments)
            console.MarkupLineInterpolated($"  {e.Name} ({e.Figure.ToString().ToLowerInvariant()}): {plan.Cells.Count(c => c.Experiments.Contains(e.Name))} cells");
        var refs = plan.Cells.Count(c => c.Experiments.SequenceEqual(["plain reference"]));
        if (refs > 0) console.MarkupLineInterpolated($"  plain IP references added: {refs} cells");
        var todo = plan.Todo;
        var mtuChanges = todo.Zip(todo.Skip(1)).Count(p => p.First.Mtu != p.Second.Mtu);
        var reboot = d.Provider.Traits.MtuChangeReboots ? " (each reboots the hosts)" : "";
        console.MarkupLineInterpolated($"bench: {plan.Cells.Count} cells ({plan.Skipped} finished before), {todo.Count} to measure, {mtuChanges} MTU change(s){reboot}, {plan.Estimate}");
        return Exit.Ok;
    }
}
