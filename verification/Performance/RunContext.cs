using System.Diagnostics;
using Testbed.Config;
using Testbed.Engine;
using Testbed.Measurement;
using Testbed.Model;

namespace Verification.Performance;

/// <summary>
/// Everything one verification run shares: the open deployment (one for the whole run, holding the stack's lock), the
/// profile, thresholds, baseline and reference, and the samples. The stack's declaration is compared with the reference
/// its baseline was recorded with: when they differ (a sysctl, the MTU, the NIC), the reference is measured beside the
/// stack in the same run, in B A A B blocks (<see cref="Schedule"/>), and each case is judged against it; otherwise
/// against the recorded samples.
/// All sampling happens once, on the first fixture's request, because a block visits every suite. An alarm of the pooled
/// verdicts against a recording on a shared machine is measured again, in a second look of as many visits, and the run
/// is judged on that look (<see cref="Verification.Judge.ToLookAgain"/>).
/// </summary>
public sealed class RunContext
{
    public required Deployment Deployment { get; init; }
    public required Settings Settings { get; init; }
    public required Profile Profile { get; init; }
    public required Thresholds Thresholds { get; init; }
    public required BaselineFile? Baseline { get; init; }
    public required RunInfo Info { get; init; }

    /// <summary>The declaration the baseline was recorded with (or the baseline stack's, when the file holds none).</summary>
    public required ReferenceDeclaration Reference { get; init; }

    /// <summary>How the stack's declaration differs from <see cref="Reference"/>; none: the reference is not measured.</summary>
    public required IReadOnlyList<string> Differences { get; init; }

    /// <summary>True when the stack was running before this run; otherwise the run takes it down again.</summary>
    public required bool WasUp { get; init; }

    public required int Seed { get; init; }

    /// <summary>The samples the run is judged on: its only look's, or its second look's.</summary>
    public RunSamples Samples { get; private set; } = new();

    /// <summary>The first look, when its pooled alarm was measured again (<see cref="Verification.Judge.ToLookAgain"/>); else null.</summary>
    public FirstLook? FirstLook { get; private set; }

    public bool SameRunReference => Differences.Count > 0 && !Settings.Record;

    public int ReferenceMtu => Reference.Mtu;

    public string BaselineName => $"baseline '{Settings.Baseline}' ({Repo.Project.Relative(Repo.BaselineFile(Settings.Baseline))})";

    public Against Against => SameRunReference ? new Against.SameRun($"the reference declaration measured in this run ({string.Join("; ", Differences)})")
        : new Against.Recorded(BaselineName, Baseline);

    /// <summary>The kernels this run's figures depend on (this machine's too when the gateways are its guests).</summary>
    public Kernels Kernels => Kernels.Of(Info, Deployment.Provider.Traits.BootsHosts);

    /// <summary>Why this run's kernels are not the recording's, when judged against a recording made on others; else null.</summary>
    public string? KernelChange => Against is Against.Recorded { File: { } file } ? Kernels.ChangeFrom(file.Kernels) : null;

    /// <summary>Nothing else runs on the gateways: the provider's hosts are dedicated and the inventory does not say otherwise.</summary>
    public bool DedicatedHardware => Deployment.Provider.Traits.DedicatedHardware && !Deployment.Spec.SharedHardware;

    public TimeSpan SamplingTime { get; private set; }

    readonly Dictionary<(Side, SuiteCase), VisitCheck> _checks = [];
    Task? _measured;
    readonly object _gate = new();

    /// <summary>The SA check of a suite's first visit on a side.</summary>
    public VisitCheck CheckOf(SuiteCase suite, Side side = Side.Stack) => _checks[(side, suite)];

    public bool Measured(SuiteCase suite, Side side = Side.Stack) => _checks.ContainsKey((side, suite));

    /// <summary>Takes every sample of the run, once; later callers wait for the first.</summary>
    public Task MeasureAsync(CancellationToken ct)
    {
        lock (_gate) return _measured ??= MeasureAllAsync(ct);
    }

    async Task MeasureAllAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var stack = Deployment.Spec;
        var suites = SuiteCases.Of(Profile, stack).ToList();
        // Plain IP rides along with every IPsec suite in tunnel mode (beside the tunnel); in transport mode it is a suite.
        var visited = suites.Where(s => !s.IsPlain || s.Mode == IpsecMode.Transport || suites.All(x => x.IsPlain)).ToList();
        // One sampler for the whole run: its budget for waiting on a busy machine and for wire repairs is the run's.
        var sampler = new Sampler(Deployment, Profile, Deployment.Provider.HostSideCpu(stack), new Random(Seed));
        var passes = Math.Max(Settings.RecordPasses, 1);
        var visits = Enumerable.Range(0, passes)
            .SelectMany(p => Schedule.Plan(visited, SameRunReference, Profile.Sampling.Visits, Seed + p)
                .Select(v => v with { Number = v.Number + p * Profile.Sampling.Visits }))
            .ToList();
        ProgressReporter.Line($"verification: {visits.Count} visits ({(SameRunReference ? "stack and reference in B A A B blocks" : "the stack")}), " +
                              $"{Profile.Sampling.PerVisit} rounds of {Profile.Sampling.Seconds} s samples each, seed {Seed}");
        await LookAsync(sampler, visits, clock, ct);
        if (!Settings.Record && Verification.Judge.ToLookAgain(PooledVerdicts(), Against, DedicatedHardware) is { Count: > 0 } alarms)
        {
            FirstLook = new FirstLook(Samples, alarms);
            ProgressReporter.Line($"verification: {FirstLook.Summary} against a recording on a shared machine: measuring again, the run fails " +
                                  "only if the second look calls it too (a stretch of this machine running the guests slower passes, a lasting " +
                                  "change does not; docs/thresholds.md)");
            Samples = new RunSamples();
            var after = visits.Max(v => v.Number);
            await LookAsync(sampler, [.. Schedule.Plan(visited, withReference: false, Profile.Sampling.Visits, Seed + passes).Select(v => v with { Number = v.Number + after })],
                clock, ct);
        }
        SamplingTime = clock.Elapsed;
        ProgressReporter.Line($"verification: {Samples.All.Count + (FirstLook?.Samples.All.Count ?? 0)} samples in {clock.Elapsed:mm\\:ss}");
    }

    async Task LookAsync(Sampler sampler, IReadOnlyList<Visit> visits, Stopwatch clock, CancellationToken ct)
    {
        var referenceSpec = Reference.On(Deployment.Spec);
        for (var i = 0; i < visits.Count; i++)
        {
            var v = visits[i];
            ProgressReporter.Line($"verification: visit {i + 1} of {visits.Count}{(FirstLook is null ? "" : " (second look)")}, {clock.Elapsed:mm\\:ss} so far");
            var check = await sampler.VisitAsync(v, v.Side == Side.Stack ? Deployment.Spec : referenceSpec, Samples, ct);
            _checks.TryAdd((v.Side, v.Suite), check);
        }
        Samples.PairRatios();
    }

    public CaseVerdict Judge(SampleKey key, string label) =>
        Verification.Judge.Of(Samples, key, ReferenceMtu, Profile.Name, label, Against, Thresholds, DedicatedHardware);

    /// <summary>The pooled verdicts: per mode and size, the IPsec suites together, on each metric judged for them.</summary>
    public IReadOnlyList<CaseVerdict> PooledVerdicts()
    {
        var keys = Samples.Keys.Where(k => k.Side == Side.Stack && k.Protection != "plain").ToList();
        return keys.GroupBy(k => (k.Mode, k.MessageSize)).Where(g => g.Count() > 1)
            .SelectMany(g => Verification.Judge.MetricsOf("ipsec", Against, DedicatedHardware)
                .Select(m => Verification.Judge.Pooled(Samples, g.OrderBy(k => k.Protection).ToList(), ReferenceMtu, Profile.Name, m, Against, Thresholds)))
            .ToList();
    }

    /// <summary>Opens the stack (taking its lock), brings it up as declared and reads what it runs.</summary>
    public static async Task<RunContext> OpenAsync(Settings settings, CancellationToken ct)
    {
        if (settings.Problem is { } problem) throw new InvalidDataException(problem);
        var project = Repo.Project;
        var profile = Profile.Load(settings.Profile);
        var thresholds = Thresholds.Load();
        var baseline = settings.Record ? null : BaselineFile.Load(settings.Baseline);
        var deployment = Deployment.Open(project, settings.Stack, "verify", new ProgressReporter());
        var spec = deployment.Spec;
        var (wasUp, _) = deployment.RunningNow();
        try
        {
            var declared = ReferenceDeclaration.Of(spec);
            var reference = baseline?.Reference
                            ?? (File.Exists(project.StackFile(settings.Baseline)) ? ReferenceDeclaration.Of(StackLoader.Load(project, settings.Baseline)) : declared);
            var differences = reference.Differences(declared);
            if (settings.AddSession && BaselineFile.SessionRefusal(BaselineFile.Load(settings.Stack), settings.Stack, declared) is { } refusal)
                throw new InvalidOperationException($"TESTBED_RECORD_ADD=1: {refusal}");
            var seed = settings.Seed ?? Random.Shared.Next(1, 1_000_000);

            ProgressReporter.Line($"verification: stack {settings.Stack} ({(wasUp ? "running" : "not running; bringing it up")}), " +
                                  $"profile {profile.Name}, baseline {settings.Baseline}{(settings.Record ? $" (recording, {settings.RecordPasses} passes{(settings.AddSession ? ", added as another session" : "")})" : "")}");
            if (differences.Count > 0 && !settings.Record)
                ProgressReporter.Line($"verification: the stack declares what its baseline's reference does not ({string.Join("; ", differences)}): " +
                                      "both are measured in this run and compared sample against sample");
            var (_, applied) = await deployment.UpAsync(null, ct);
            if (applied.Failed) throw new InvalidOperationException($"up --stack {settings.Stack} failed; see the lines marked failed above");

            var gateways = await Task.WhenAll(spec.Gateways.Select(g => RunInfo.ProbeAsync(deployment.Shell(g.Name), ct)));
            var info = new RunInfo(settings.Stack, deployment.Provider.Kind, profile.Name, settings.Baseline,
                DateTimeOffset.UtcNow, Environment.MachineName, RunInfo.ThisKernel(), Environment.ProcessorCount,
                Environment.Version.ToString(), RunInfo.ToolVersion(), gateways);
            return new RunContext
            {
                Deployment = deployment, Settings = settings, Profile = profile, Thresholds = thresholds, Baseline = baseline,
                Reference = reference, Differences = differences, Info = info, WasUp = wasUp, Seed = seed,
            };
        }
        catch
        {
            // Whatever this run brought up goes again, even when it could not start measuring.
            await PutBackAsync(deployment, wasUp, settings.Keep, CancellationToken.None);
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Leaves the stack as the run found it: running as its file declares, or, when this run brought it up (and
    /// TESTBED_KEEP is not 1), destroyed with nothing left behind (guests, namespace, forwards, state).
    /// </summary>
    public static async Task PutBackAsync(Deployment d, bool wasUp, bool keep, CancellationToken ct)
    {
        var destroy = !wasUp && !keep;
        ProgressReporter.Line(destroy
            ? $"verification: destroying stack {d.Spec.Stack}, which this run brought up (TESTBED_KEEP=1 keeps it)"
            : $"verification: putting stack {d.Spec.Stack} back as its file declares");
        await d.PutBackAsync(destroy, ct);
    }
}

/// <summary>A run's first look, measured again because its pooled verdicts called these alarms; kept for the record.</summary>
public sealed record FirstLook(RunSamples Samples, IReadOnlyList<CaseVerdict> Alarms)
{
    public string Summary => string.Join("; ", Alarms.Select(a => $"{a.Subject}: {a.Summary}"));

    /// <summary>The metrics that fired, short and comma-separated ("cpu,ratio").</summary>
    public string Fired => string.Join(",", Alarms.SelectMany(a => a.Failed).Select(c => CaseVerdict.Short(c.Metric)));
}
