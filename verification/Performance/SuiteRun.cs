using Testbed.Engine;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Transport;

namespace Verification.Performance;

/// <summary>
/// One suite provisioned and measured: the SA check taken before measuring, and per message size the result
/// (with its ratio to plain IP of the same run) or why it could not be measured.
/// </summary>
public sealed record SuiteRun(
    SuiteCase Case,
    TestbedSpec Spec,
    SaPairReport SaCheck,
    IReadOnlyDictionary<int, CaseResult> Results,
    IReadOnlyDictionary<int, string> Errors)
{
    /// <summary>The result at one size, or an exception that says why there is none.</summary>
    public CaseResult At(int size) =>
        Results.TryGetValue(size, out var r) ? r
        : throw new MeasurementException(Errors.TryGetValue(size, out var e) ? e : $"{Case} was not measured at {size} B");

    /// <summary>The SAs that carry the stream (sender to receiver): one per protocol, on each gateway.</summary>
    public IEnumerable<SaDelta> Forward(CaseResult r) =>
        r.Sas.Where(s => s.Src == Spec.Sender.Address.Address.ToString() && s.Dst == Spec.Receiver.Address.Address.ToString());

    /// <summary>The SAs of the way back (the receiver's ACKs).</summary>
    public IEnumerable<SaDelta> Reverse(CaseResult r) =>
        r.Sas.Where(s => s.Src == Spec.Receiver.Address.Address.ToString() && s.Dst == Spec.Sender.Address.Address.ToString());

    /// <summary>
    /// Provisions the suite through the engine (it replaces or removes SAs and policies as needed), checks the SAs
    /// both gateways hold, then measures every message size of the profile.
    /// </summary>
    public static async Task<SuiteRun> MeasureAsync(RunContext run, SuiteCase c, SuiteRun? plain, int pass, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var d = run.Deployment;
        var spec = c.On(d.Spec);
        var (_, applied) = await d.UpAsync(spec, ct);
        if (applied.Failed)
            throw new InvalidOperationException($"{c}: provisioning failed at " +
                string.Join(", ", applied.Outcomes.Where(o => o.Outcome == Outcome.Failed).Select(o => o.Step.Id.Urn)));
        ProgressReporter.Line($"{c}{(pass > 1 || run.Settings.RecordPasses > 1 ? $" (pass {pass})" : "")}: provisioned {c.Protection.Label} " +
                              $"in {IpsecNames.Of(c.Mode)} mode through the engine ({ProgressReporter.Summary(applied)}, {clock.Elapsed.TotalSeconds:0.0} s)");

        var expected = d.Declare(spec).OfType<XfrmState>().ToList();
        var gateways = spec.Gateways.ToDictionary(g => g.Name, g => d.Shell(g.Name));
        var saCheck = await SaPairCheck.CheckAsync(expected, gateways, ct);

        var sender = new RunHost(spec.Sender.Name, "sender", d.Shell(spec.Sender.Name));
        var receiver = new RunHost(spec.Receiver.Name, "receiver", d.Shell(spec.Receiver.Name));
        var runner = new NetperfRunner(sender, receiver, run.HostSideCpu);
        var results = new Dictionary<int, CaseResult>();
        var errors = new Dictionary<int, string>();
        foreach (var size in run.Profile.MessageSizes)
        {
            var key = new CaseKey(c.Protection.Name, IpsecNames.Of(c.Mode), size, spec.Mtu, run.Profile.Name);
            try
            {
                var r = await runner.RunAsync(key, c.Protection.Label, run.Profile.Request(spec, size), ct) with { Pass = pass };
                if (plain?.Results.GetValueOrDefault(size) is { } p) r = r with { RatioToPlain = Estimate.Ratio(r.Throughput, p.Throughput) };
                results[size] = r;
                run.Record(r);
                ProgressReporter.Line($"{c}: {size,5} B  {r.Throughput} Mbit/s  ratio {r.RatioToPlain?.ToString() ?? "-"}  " +
                                      $"cpu {r.CpuPerMbit:0.000} {Judge.CpuUnit}  ({r.Netperf.Iterations} iterations, {r.WallSeconds:0} s)");
            }
            catch (Exception e) when (e is MeasurementException or TransportException)
            {
                errors[size] = $"{c} at {size} B: {e.Message}";
                ProgressReporter.Line($"{c}: {size,5} B  not measured: {e.Message}");
            }
        }
        return new SuiteRun(c, spec, saCheck, results, errors);
    }
}
