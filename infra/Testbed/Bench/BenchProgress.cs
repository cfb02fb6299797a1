using Spectre.Console;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Secrets;

namespace Testbed.Bench;

/// <summary>Where the bench tells how far it is: a live progress bar at a terminal, one plain line per cell in a log.</summary>
public interface IBenchProgress
{
    /// <summary>Runs the measuring loop inside the display.</summary>
    Task RunAsync(int total, Func<Task> body);

    void CellStarted(int index, CellKey cell);

    void CellDone(int index, CellKey cell, BenchRecord record, TimeSpan elapsed, TimeSpan remaining);

    void Line(string message);
}

/// <summary>Plain lines (CI logs, pipes): one per cell with the time left.</summary>
public sealed class LineProgress(IAnsiConsole console) : IBenchProgress
{
    int _total;

    public Task RunAsync(int total, Func<Task> body)
    {
        _total = total;
        return body();
    }

    public void CellStarted(int index, CellKey cell) { }

    public void CellDone(int index, CellKey cell, BenchRecord record, TimeSpan elapsed, TimeSpan remaining) =>
        Line($"[{index}/{_total}] {BenchText.Outcome(cell, record)}  elapsed {Duration.Format(elapsed)}, ETA {Duration.Format(remaining)}");

    public void Line(string message) => console.WriteLine(Redactor.Redact(message));
}

/// <summary>Spectre's progress display at a terminal: the current cell, a bar over all cells, the time left; each finished cell above it.</summary>
public sealed class LiveProgress(IAnsiConsole console) : IBenchProgress
{
    ProgressTask? _task;
    int _total;
    readonly object _gate = new();

    public async Task RunAsync(int total, Func<Task> body)
    {
        _total = total;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                _task = ctx.AddTask("starting", maxValue: Math.Max(total, 1));
                await body();
                _task.Value = _task.MaxValue;
                _task.Description = $"{total} cells done";
            });
    }

    public void CellStarted(int index, CellKey cell)
    {
        lock (_gate)
            if (_task is not null) _task.Description = Markup.Escape($"[{index}/{_total}] {cell}") + (_eta is { } e ? $" [grey]ETA {Duration.Format(e)}[/]" : "");
    }

    TimeSpan? _eta;

    public void CellDone(int index, CellKey cell, BenchRecord record, TimeSpan elapsed, TimeSpan remaining)
    {
        lock (_gate)
        {
            _eta = remaining;
            console.MarkupLine((record.Ok ? "" : "[red]") + Markup.Escape($"[{index}/{_total}] {BenchText.Outcome(cell, record)}") + (record.Ok ? "" : "[/]"));
            if (_task is not null)
            {
                _task.Value = index;
                _task.Description = $"{index}/{_total} cells, ETA {Duration.Format(remaining)}";
            }
        }
    }

    public void Line(string message)
    {
        lock (_gate) console.MarkupLine(Markup.Escape(Redactor.Redact(message)));
    }
}

/// <summary>The engine's words during a bench: only what takes long (booting, rebooting) and what failed.</summary>
public sealed class BenchReporter(Func<IBenchProgress> progress) : IReporter
{
    public void Progress(string message) => progress().Line($"  ··· {message}");

    public void Warn(string message) => progress().Line($"  warning: {message}");

    public void StepDone(Step step, Outcome outcome, string? detail)
    {
        if (outcome != Outcome.Failed) return;
        var r = step.Id;
        progress().Line($"  {r.Host} {r.Kind.Name} {r.Name} failed: {detail}");
    }
}

public static class BenchText
{
    public static string Outcome(CellKey cell, BenchRecord record) =>
        record.Ok
            ? $"{cell}: {record.Result!.Throughput} Mbit/s ({record.Result.Netperf.Iterations} iterations, {record.Result.WallSeconds:0} s)"
            : $"{cell}: not measured: {record.Error}";
}
