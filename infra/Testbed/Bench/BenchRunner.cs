using System.Diagnostics;
using Testbed.Engine;
using Testbed.Machine;
using Testbed.Providers;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Bench;

/// <summary>What the measuring part of a bench did.</summary>
/// <param name="Stopped">The run ended before its last cell: interrupted, or too many failures in a row.</param>
public sealed record BenchOutcome(BenchSchedule Plan, int Measured, int Failed, bool Stopped, bool Interrupted = false)
{
    public int Planned => Plan.Cells.Count;
    public int Skipped => Plan.Skipped;
}

/// <summary>What a run measures, decided before it starts: the cells of the matrix and those the output folder does not hold yet.</summary>
/// <param name="WasUp">The stack's hosts were running (else the run brings them up).</param>
/// <param name="StartMtu">The MTU they run now.</param>
/// <param name="ExpectedIterations">Iterations per cell the estimate assumes (null: the maximum).</param>
public sealed record BenchSchedule(bool WasUp, int StartMtu, int HostMaxMtu, IReadOnlyList<ScheduledCell> Cells, IReadOnlyList<CellKey> Todo,
    double? ExpectedIterations, Duration Estimate)
{
    public int Skipped => Cells.Count - Todo.Count;

    /// <summary>The MTU the hosts run when the bench starts, null when it must bring them up.</summary>
    public int? RunningMtu => WasUp ? StartMtu : null;
}

/// <summary>
/// Measures the cells of a matrix that the output folder does not hold yet, through one open deployment (it holds the
/// stack's lock for the whole run): for each cell the engine provisions the stack's declaration with the cell's MTU,
/// link, tuning, mode and protection (only when they change from the cell before), the SA check confirms both
/// gateways hold the declared SAs, and <see cref="NetperfRunner"/> measures it. Each finished cell is appended to the
/// results at once. At the end the stack is put back as its file declares, or destroyed when the bench brought it up.
/// </summary>
public sealed class BenchRunner(Deployment d, BenchMatrix matrix, ResultsStore store, IBenchProgress progress)
{
    /// <summary>Consecutive failed cells after which the bench stops (the hosts are gone, most likely); a rerun resumes.</summary>
    public const int FailureLimit = 6;

    CellOverheads Overheads => d.Provider.Traits.Overheads;

    /// <summary>The expected iterations per cell: what finished cells took, else the maximum where netperf's interval never narrows.</summary>
    double? ExpectedIterations(IEnumerable<BenchRecord> done)
    {
        var its = done.Where(r => r.Ok).Select(r => (double)r.Result!.Netperf.Iterations).ToList();
        if (its.Count > 0) return its.Average();
        return d.Provider.Traits.NetperfIntervalNarrows ? (matrix.Iterations.Max + matrix.Iterations.Min) / 2.0 : null;
    }

    /// <summary>What a run would measure, as it stands now (the stack's state, the output folder's finished cells); measures nothing.</summary>
    public async Task<BenchSchedule> PlanAsync(CancellationToken ct)
    {
        var (wasUp, startMtu) = d.RunningNow();
        var maxMtu = await d.MaxMtuAsync(ct);
        var cells = MatrixCells.Expand(matrix, maxMtu, startMtu);
        var finished = ResultsStore.Finished(store.Records(), matrix.Run, d.Spec.Stack);
        var todo = cells.Where(c => !finished.ContainsKey(c.Key)).Select(c => c.Key).ToList();
        var expectedIterations = ExpectedIterations(finished.Values);
        var estimate = Estimator.Estimate(todo, matrix.Run, Overheads, wasUp ? startMtu : null, expectedIterations, d.Spec.Mtu);
        return new BenchSchedule(wasUp, startMtu, maxMtu, cells, todo, expectedIterations, estimate);
    }

    public async Task<BenchOutcome> RunAsync(bool keep, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var p = await PlanAsync(ct);
        var todo = p.Todo;
        progress.Line($"bench: matrix {matrix.Name} on stack {d.Spec.Stack} ({(p.WasUp ? "running" : "not running; it will be brought up and destroyed at the end")}), " +
                      $"netperf {matrix.Run}");
        progress.Line(p.Skipped > 0
            ? $"bench: {p.Cells.Count} cells, {p.Skipped} finished in an earlier run (skipped), {todo.Count} to measure, {p.Estimate}"
            : $"bench: {p.Cells.Count} cells, {p.Estimate}");
        if (todo.Count == 0) return new BenchOutcome(p, 0, 0, false);

        var sessionId = $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..6]}";
        var hostSide = d.Provider.HostSideCpu(d.Spec);
        int measured = 0, failed = 0, consecutive = 0;
        var stopped = false;
        var interrupted = false;
        var loopClock = new Stopwatch();
        try
        {
            await progress.RunAsync(todo.Count, async () =>
            {
                (GroupKey, string)? provisioned = null;
                string? provisionError = null;
                NetperfRunner? runner = null;
                TestbedSpec? spec = null;
                var sessionWritten = false;
                loopClock.Start();
                for (var i = 0; i < todo.Count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    var cell = todo[i];
                    progress.CellStarted(i + 1, cell);
                    BenchRecord record;
                    try
                    {
                        if (CellSpec.Provisioning(cell) != provisioned)
                        {
                            provisioned = CellSpec.Provisioning(cell);
                            (spec, runner, provisionError) = await ProvisionAsync(cell, hostSide, ct);
                            if (!sessionWritten && provisionError is null)
                            {
                                var environment = await EnvironmentProbe.ReadAsync(d, ct);
                                store.Append(new BenchSession(sessionId, DateTimeOffset.UtcNow, matrix.Name, matrix.Run, p.Cells.Count, p.Skipped,
                                    p.Estimate.ToString(), environment, p.HostMaxMtu, $"started with the stack {(p.WasUp ? "running" : "not running")} at MTU {p.StartMtu}"));
                                sessionWritten = true;
                            }
                        }
                        record = provisionError is not null
                            ? Failure(cell, sessionId, provisionError)
                            : await MeasureAsync(cell, spec!, runner!, sessionId, ct);
                    }
                    catch (Exception e) when (e is MeasurementException or TransportException or ProviderException or MachineException or PlanException
                                                  or InvalidOperationException && !ct.IsCancellationRequested)
                    {
                        record = Failure(cell, sessionId, e.Message);
                        provisioned = null;
                    }
                    store.Append(record);
                    if (record.Ok) { measured++; consecutive = 0; }
                    else { failed++; consecutive++; }

                    progress.CellDone(i + 1, cell, record, clock.Elapsed, TimeLeft(p, i + 1, loopClock.Elapsed));
                    if (consecutive >= FailureLimit)
                    {
                        progress.Line($"bench: stopping: {consecutive} cells in a row could not be measured; the last: {record.Error}. " +
                                      "Run the same command again to resume once the cause is fixed.");
                        stopped = true;
                        break;
                    }
                }
            });
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: whatever the cancelled step threw (an SSH command cut short, netperf killed), the run was interrupted.
            stopped = interrupted = true;
            progress.Line($"bench: interrupted after {measured + failed} of {todo.Count} cells; every finished cell is in {store.CellsFile}; " +
                          "run the same command again to resume");
        }
        finally
        {
            await PutBackAsync(p.WasUp, keep);
        }
        return new BenchOutcome(p, measured, failed, stopped, interrupted);
    }

    /// <summary>
    /// The time left once the first <paramref name="done"/> cells are finished: the model's estimate of the rest (from
    /// the last cell's MTU, putting the stack back at the end), calibrated by how the cells done compared with the model.
    /// Two estimates over at most the matrix's cells per finished cell: nothing beside a cell's tens of seconds.
    /// </summary>
    TimeSpan TimeLeft(BenchSchedule p, int done, TimeSpan actual)
    {
        var modelDone = Estimator.Estimate(p.Todo.Take(done).ToList(), matrix.Run, Overheads, p.RunningMtu, p.ExpectedIterations).Expected;
        var modelRest = Estimator.Estimate(p.Todo.Skip(done).ToList(), matrix.Run, Overheads, p.Todo[done - 1].Mtu, p.ExpectedIterations, d.Spec.Mtu).Expected;
        return Estimator.Remaining(modelRest, modelDone, actual, done);
    }

    async Task<(TestbedSpec Spec, NetperfRunner? Runner, string? Error)> ProvisionAsync(CellKey cell, IHostSideCpu? hostSide, CancellationToken ct)
    {
        var spec = CellSpec.For(d.Spec, cell);
        var (_, applied) = await d.UpAsync(spec, ct);
        if (applied.Failed)
            return (spec, null, "provisioning failed at " + string.Join(", ", applied.Outcomes.Where(o => o.Outcome == Outcome.Failed).Select(o => o.Step.Id.Urn)));
        var expected = d.Declare(spec).OfType<XfrmState>().ToList();
        var gateways = spec.Gateways.ToDictionary(g => g.Name, g => d.Shell(g.Name));
        var check = await SaPairCheck.CheckAsync(expected, gateways, ct);
        if (!check.Ok) return (spec, null, "the SA check failed: " + string.Join("; ", check.Problems));
        var sender = new RunHost(spec.Sender.Name, "sender", d.Shell(spec.Sender.Name));
        var receiver = new RunHost(spec.Receiver.Name, "receiver", d.Shell(spec.Receiver.Name));
        return (spec, new NetperfRunner(sender, receiver, hostSide), null);
    }

    async Task<BenchRecord> MeasureAsync(CellKey cell, TestbedSpec spec, NetperfRunner runner, string session, CancellationToken ct)
    {
        var r = matrix.Run;
        var request = NetperfRequest.Across(spec, cell.MessageSize, r.Seconds, r.MaxIterations, r.MinIterations, r.ConfidenceLevel, r.IntervalWidthPct);
        var key = new CaseKey(cell.Protection, cell.Mode, cell.MessageSize, cell.Mtu, matrix.Name);
        var result = await runner.RunAsync(key, spec.Ipsec.Protection.Label, request, ct);
        return new BenchRecord(cell, matrix.Run, d.Spec.Stack, matrix.Name, session, CellStatus.Ok, DateTimeOffset.UtcNow, result);
    }

    BenchRecord Failure(CellKey cell, string session, string error) =>
        new(cell, matrix.Run, d.Spec.Stack, matrix.Name, session, CellStatus.Failed, DateTimeOffset.UtcNow, Error: error);

    /// <summary>
    /// Leaves the stack as the bench found it: running as its file declares, or, when the bench brought it up (and
    /// --keep is not given), destroyed with nothing left behind.
    /// </summary>
    async Task PutBackAsync(bool wasUp, bool keep)
    {
        var destroy = !wasUp && !keep;
        progress.Line(destroy
            ? $"bench: destroying stack {d.Spec.Stack}, which the bench brought up (--keep keeps it)"
            : $"bench: putting stack {d.Spec.Stack} back as its file declares");
        await d.PutBackAsync(destroy, CancellationToken.None);
    }
}
