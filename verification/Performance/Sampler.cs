using System.Diagnostics;
using Testbed.Engine;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Transport;

namespace Verification.Performance;

/// <summary>What a visit found on the gateways before sampling: the SA check, once per suite and side.</summary>
public sealed record VisitCheck(Visit Visit, TestbedSpec Spec, SaPairReport SaCheck);

/// <summary>
/// Takes a visit's samples: provisions the suite through the engine under the visit's declaration, checks the SAs both
/// gateways hold, then, with netserver held open, takes round after round of one netperf run through the suite and one
/// of plain IP beside it (in random order, so neither always runs first), at every message size. A tunnel leaves the
/// link addresses outside its policies, so plain IP runs there with the SAs in place and no provisioning in between; in
/// transport mode plain IP is a suite of its own. A sample taken while this machine did more than the profile's share
/// of other work is taken again: a gateway that has to share its CPU measures its neighbour as much as itself.
/// </summary>
public sealed class Sampler(Deployment d, Profile profile, IHostSideCpu? hostSide, Random rng)
{
    /// <param name="samples">Where the visit's samples go: the run's look they belong to.</param>
    public async Task<VisitCheck> VisitAsync(Visit visit, TestbedSpec declaration, RunSamples samples, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var spec = visit.Suite.On(declaration);
        var (_, applied) = await d.UpAsync(spec, ct);
        if (applied.Failed)
            throw new InvalidOperationException($"{visit}: provisioning failed at " +
                string.Join(", ", applied.Outcomes.Where(o => o.Outcome == Outcome.Failed).Select(o => o.Step.Id.Urn)));
        var expected = d.Declare(spec).OfType<XfrmState>().ToList();
        var check = await SaPairCheck.CheckAsync(expected, spec.Gateways.ToDictionary(g => g.Name, g => d.Shell(g.Name)), ct);

        var sender = new RunHost(spec.Sender.Name, "sender", d.Shell(spec.Sender.Name));
        var receiver = new RunHost(spec.Receiver.Name, "receiver", d.Shell(spec.Receiver.Name));
        var (target, source) = NetperfRequest.PathOf(spec);
        var beside = visit.Suite.IsPlain ? null : NetperfRequest.PlainBeside(spec);
        var mode = IpsecNames.Of(visit.Suite.Mode);
        var retries = 0;
        _machineBusy = true; // nothing measured this machine while the visit provisioned
        TimeSpan ready;
        await using (var runner = await NetperfRunner.OpenAsync(sender, receiver, hostSide, ct))
        {
            ready = clock.Elapsed;
            for (var round = 1; round <= profile.Sampling.PerVisit; round++)
                foreach (var size in profile.MessageSizes.OrderBy(_ => rng.Next()))
                {
                    var key = new CaseKey(visit.Suite.Protection.Name, mode, size, spec.Mtu, profile.Name);
                    // The first round reads both gateways whole (the receiver's /proc/stat and SA counters too); later
                    // rounds what the judge needs: two round trips and four xfrm reads fewer, half a second a sample.
                    var suiteSample = () => TakeAsync(runner, spec, key, visit.Suite.Protection.Label, profile.Request(target, source, size), full: round == 1, ct);
                    if (beside is not { } plainPath)
                    {
                        var only = await suiteSample();
                        retries += only.Retries;
                        samples.Add(new Taken(visit.Side, visit.Number, only.Result, only.Retries));
                        continue;
                    }
                    var plainKey = key with { Protection = Protection.Plain.Name };
                    var plainSample = () => TakeAsync(runner, spec, plainKey, Protection.Plain.Label, profile.Request(plainPath.Target, plainPath.Source, size), full: round == 1, ct);
                    (CaseResult Result, int Retries) ipsec, plain;
                    if (rng.Next(2) == 0) { ipsec = await suiteSample(); plain = await plainSample(); }
                    else { plain = await plainSample(); ipsec = await suiteSample(); }
                    retries += ipsec.Retries + plain.Retries;
                    samples.Add(new Taken(visit.Side, visit.Number, plain.Result, plain.Retries));
                    samples.Add(new Taken(visit.Side, visit.Number, ipsec.Result, ipsec.Retries, ipsec.Result.Netperf.Mbps / plain.Result.Netperf.Mbps));
                }
        }
        ProgressReporter.Line($"{visit}: {profile.Sampling.PerVisit} rounds × {profile.MessageSizes.Count} sizes in {clock.Elapsed.TotalSeconds:0} s, " +
                              $"{ready.TotalSeconds:0.0} s of it to provision, check the SAs and start netserver " +
                              $"({ProgressReporter.Summary(applied)}{(retries > 0 ? $"; {retries} samples taken again, the machine was busy" : "")})");
        return new VisitCheck(visit, spec, check);
    }

    /// <summary>How often one sample whose CPU window missed the stream is taken again before the run fails with the reason.</summary>
    const int IdleWindowRetries = 2;

    /// <summary>How often a run lets its provider put a wire that stopped right (a testbed failing more often is broken).</summary>
    const int WireRepairs = 2;

    int _wireRepairs;

    /// <summary>What waiting for a quiet machine and retaking busy samples may still add to this run.</summary>
    TimeSpan _busyBudget = TimeSpan.FromSeconds(profile.Sampling.BusyBudgetSeconds);

    /// <summary>Whether the last sample found this machine busy (or the visit took none yet): the next one waits for quiet first.</summary>
    bool _machineBusy = true;

    /// <summary>
    /// One sample, taken again when this machine did more than the profile's share of other work while it ran, but only
    /// once the machine is quiet (no more than that share over a quarter of a second), all within the run's budget for
    /// waiting; taken again too when a gateway's CPU window missed the stream (at most <see cref="IdleWindowRetries"/>
    /// times a sample). A visit's first sample waits for a quiet machine; the others trust the sample before them, which
    /// measured the machine's other work for two seconds: a quarter second of looking before every sample cost a run
    /// 20-25 s on a quiet machine. A netperf that failed is taken again only when the provider found the wire itself
    /// stopped and put it right, the visit's settings back on (<see cref="WireMend"/>).
    /// </summary>
    async Task<(CaseResult Result, int Retries)> TakeAsync(NetperfRunner runner, TestbedSpec spec, CaseKey key, string label, NetperfRequest request,
        bool full, CancellationToken ct)
    {
        for (int attempt = 0, idle = 0; ; )
        {
            if (_machineBusy) await QuietAsync(ct);
            var clock = Stopwatch.StartNew();
            CaseResult r;
            try
            {
                r = await runner.MeasureAsync(key, label, request, ct, full);
            }
            catch (IdleWindowException e) when (++idle <= IdleWindowRetries)
            {
                // A glitch of the gateway's accounting, not of the gateway: take the sample again, and say so.
                ProgressReporter.Line($"{key.Protection} {key.MessageSize} B: sample taken again ({idle} of {IdleWindowRetries}): {e.Message}");
                continue;
            }
            // A stream into a dead wire ends as a failed netperf or, when its control connection hangs, a timeout.
            catch (Exception e) when (e is MeasurementException and not IdleWindowException or CommandTimeoutException && _wireRepairs < WireRepairs)
            {
                if (await WireMend.TryAsync(d, spec, ct) is not { } mend) throw;
                _wireRepairs++;
                if (!mend.Cleared) throw new MeasurementException($"{e.Message}\n({mend.What})");
                ProgressReporter.Line($"{key.Protection} {key.MessageSize} B: netperf failed ({e.Message.Split('\n')[0]}); {mend.What}; sample taken again");
                continue;
            }
            var busy = r.OtherLoadPercent is { } other && other > profile.Sampling.MaxOtherLoadPercent;
            _machineBusy = busy;
            if (!busy || attempt >= profile.Sampling.Retries || _busyBudget <= TimeSpan.Zero) return (r, attempt);
            attempt++;
            _busyBudget -= clock.Elapsed;
        }
    }

    /// <summary>Waits (within the budget) until the machine's other work stays under the profile's share for a quarter second.</summary>
    async Task QuietAsync(CancellationToken ct)
    {
        if (hostSide is null) return;
        var clock = Stopwatch.StartNew();
        try
        {
            while (_busyBudget - clock.Elapsed > TimeSpan.Zero)
            {
                var before = hostSide.Sample();
                var window = Stopwatch.StartNew();
                await Task.Delay(250, ct);
                var other = HostSideSample.OtherLoadPercent(before, hostSide.Sample(), window.Elapsed.TotalSeconds);
                if (other <= profile.Sampling.MaxOtherLoadPercent) return;
            }
        }
        finally
        {
            _busyBudget -= clock.Elapsed;
        }
    }
}
