using Testbed.Resources;
using Testbed.Secrets;
using Testbed.Transport;

namespace Testbed.Engine;

public sealed record ApplyResult(IReadOnlyList<(Step Step, Outcome Outcome)> Outcomes)
{
    public bool Failed => Outcomes.Any(o => o.Outcome == Outcome.Failed);

    public int Count(Outcome outcome) => Outcomes.Count(o => o.Outcome == outcome);

    public bool Changed => Outcomes.Any(o => o.Outcome is Outcome.Changed or Outcome.Replaced or Outcome.Deleted);
}

/// <summary>
/// Carries out a plan: hosts in parallel, each host's steps in order on its one connection. Before a command
/// is sent the state records the value found (so a kill at any moment loses nothing), and after it the value
/// applied. A host stops at its first failure; the other host goes on.
/// </summary>
public sealed class Applier(StateStore store, StackState state, IReporter reporter)
{
    public static TimeSpan StepTimeout(ResourceId id) => id.Kind == ResourceKind.Package ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(60);

    public async Task<ApplyResult> ApplyAsync(Plan plan, IReadOnlyDictionary<string, IHostShell> shells, CancellationToken ct)
    {
        var hosts = plan.Steps.Select(s => s.Host).Distinct().ToList();
        var perHost = await Task.WhenAll(hosts.Select(h => ApplyHostAsync(h, plan.ForHost(h).ToList(), shells.GetValueOrDefault(h), ct)));
        return new ApplyResult(perHost.SelectMany(x => x).ToList());
    }

    /// <param name="shell">Null when the host is not running or no longer in the inventory: nothing can be sent to it.</param>
    async Task<List<(Step, Outcome)>> ApplyHostAsync(string host, List<Step> steps, IHostShell? shell, CancellationToken ct)
    {
        var outcomes = new List<(Step, Outcome)>();
        var applied = new List<Step>();
        var failed = false;
        foreach (var step in steps)
        {
            if (failed)
            {
                Report(outcomes, step, Outcome.Skipped, "not attempted after an earlier failure on " + host);
                continue;
            }
            switch (step.Change)
            {
                case Change.None:
                    Reconcile(step);
                    Report(outcomes, step, Outcome.Ok, step.Note);
                    continue;
                case Change.Skip:
                    Report(outcomes, step, Outcome.Skipped, step.Note);
                    continue;
                case Change.Delete when step.Live is null:
                    // The host cannot be read; its record stays until it can, or the setting would be forgotten unrestored.
                    Report(outcomes, step, Outcome.Skipped, $"{host} is not reachable (or no longer in the inventory); the setting stays recorded");
                    continue;
                case Change.Delete when step.Note is not null:
                    store.Update(state, s => s.Resources.RemoveAll(r => r.Urn == step.Id.Urn));
                    Report(outcomes, step, Outcome.Ok, step.Note);
                    continue;
            }
            if (shell is null)
            {
                failed = true;
                Report(outcomes, step, Outcome.Failed, $"{host} is not running or not in the inventory");
                continue;
            }

            var rec = Checkpoint(step);
            // Only a delete has no declaration: the identity puts back what was found.
            var command = step.Declared is { } declared && step.Change != Change.Delete
                ? declared.Apply(step.Live ?? Reading.Absent)
                : step.Id.Restore(rec.Original);
            var what = $"{Verb(step.Change)} {step.Id.Kind.Name} {step.Id.Name}";
            CommandResult result;
            try
            {
                result = await shell.RunAsync(command, what, StepTimeout(step.Id), ct);
            }
            catch (TransportException e)
            {
                failed = true;
                Report(outcomes, step, Outcome.Failed, e.Message);
                continue;
            }
            if (!result.Ok)
            {
                failed = true;
                var why = Redactor.Redact((result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout).Trim());
                Report(outcomes, step, Outcome.Failed, $"{what} exited {result.ExitCode}: {why}");
                continue;
            }
            if (step.Change == Change.Delete)
            {
                store.Update(state, s => s.Resources.Remove(rec));
                Report(outcomes, step, Outcome.Deleted, step.Detail);
            }
            else
            {
                store.Update(state, _ => { rec.Applied = step.Target; rec.Settled = null; rec.Status = RecordStatus.Applied; rec.Updated = DateTimeOffset.UtcNow; });
                applied.Add(step);
                Report(outcomes, step, step.Change == Change.Replace ? Outcome.Replaced : Outcome.Changed, step.Detail);
            }
        }
        if (applied.Count > 0 && !failed) await VerifyAsync(shell!, applied, outcomes, ct);
        return outcomes;
    }

    /// <summary>Writes down, before anything is sent, what the host had: the value to put back on destroy.</summary>
    ResourceRecord Checkpoint(Step step)
    {
        var rec = state.Find(step.Id.Urn);
        store.Update(state, s =>
        {
            if (rec is null)
            {
                rec = ResourceRecord.For(step.Id, step.Live?.Value);
                s.Resources.Add(rec);
            }
            rec.Status = RecordStatus.Pending;
            rec.Updated = DateTimeOffset.UtcNow;
        });
        return rec!;
    }

    /// <summary>
    /// A setting already right. It is recorded all the same (found value = declared value), so that refresh
    /// watches it; and a record left pending by a run killed between command and checkpoint is settled here.
    /// </summary>
    void Reconcile(Step step)
    {
        var desired = step.Target;
        if (step.Record is null)
        {
            store.Update(state, s => s.Resources.Add(ResourceRecord.For(step.Id, step.Live?.Value, desired, RecordStatus.Applied)));
        }
        else if (step.Record.Status != RecordStatus.Applied || (!Fields.Same(step.Record.Applied, desired) && step.Record.Settled is null))
        {
            var rec = step.Record;
            store.Update(state, _ => { rec.Applied = desired; rec.Status = RecordStatus.Applied; rec.Updated = DateTimeOffset.UtcNow; });
        }
    }

    /// <summary>Reads back what was just applied, in one round trip, so that "changed" means the host now has it.</summary>
    async Task VerifyAsync(IHostShell shell, List<Step> applied, List<(Step, Outcome)> outcomes, CancellationToken ct)
    {
        HostReading reading;
        try
        {
            reading = await LiveReader.ReadAsync(shell, applied.Select(s => s.Id).ToList(), ct);
        }
        catch (TransportException e)
        {
            reporter.Warn($"{shell.Name}: could not read back the changes: {e.Message}");
            return;
        }
        foreach (var step in applied)
        {
            var live = reading.Readings[step.Id.Urn];
            if (Fields.Same(live.Value, step.Target)) continue;
            var rec = state.Find(step.Id.Urn)!;
            if (step.Declared is { MaySettle: true } && live.Value is not null)
            {
                store.Update(state, _ => rec.Settled = live.Value);
                reporter.Warn($"{step.Host}: {step.Id.Kind.Name} {step.Id.Name}: the driver settled on {live.Value} for {step.Target}");
                continue;
            }
            var i = outcomes.FindIndex(o => o.Item1 == step);
            outcomes[i] = (step, Outcome.Failed);
            reporter.StepDone(step, Outcome.Failed, $"applied, but the host reads back {live.Value?.ToString() ?? "nothing"}");
        }
    }

    void Report(List<(Step, Outcome)> outcomes, Step step, Outcome outcome, string? detail)
    {
        outcomes.Add((step, outcome));
        reporter.StepDone(step, outcome, detail is null ? null : Redactor.Redact(detail));
    }

    static string Verb(Change change) => change switch
    {
        Change.Create => "create",
        Change.Update => "update",
        Change.Replace => "replace",
        Change.Delete => "restore",
        _ => "check",
    };
}
