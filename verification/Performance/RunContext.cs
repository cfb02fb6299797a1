using Testbed.Config;
using Testbed.Engine;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Providers;

namespace Verification.Performance;

/// <summary>
/// Everything one verification run shares: the open deployment (one for the whole run, holding the stack's lock),
/// the profile, thresholds and baseline, and the suites measured so far. Suites are measured once, on first use,
/// plain IP of a mode always before the IPsec suites of that mode so every ratio has its reference.
/// </summary>
public sealed class RunContext
{
    public required Deployment Deployment { get; init; }
    public required Settings Settings { get; init; }
    public required Profile Profile { get; init; }
    public required Thresholds Thresholds { get; init; }
    public required BaselineFile? Baseline { get; init; }

    /// <summary>The MTU the baseline stack declares: a stack with another MTU is judged against that tuned baseline.</summary>
    public required int BaselineMtu { get; init; }

    public required IHostSideCpu? HostSideCpu { get; init; }
    public required RunInfo Info { get; init; }

    /// <summary>True when the stack was running before this run; otherwise the run takes it down again.</summary>
    public required bool WasUp { get; init; }

    public string Provider => Info.Provider;

    public string BaselineName => $"baseline '{Settings.Baseline}' at MTU {BaselineMtu}, {Repo.Project.Relative(Repo.BaselineFile(Settings.Baseline))}";

    readonly Dictionary<SuiteCase, SuiteRun> _suites = [];
    readonly List<CaseResult> _results = [];

    /// <summary>Every suite measurement of the run, earlier recording passes included.</summary>
    public IReadOnlyList<SuiteRun> AllRuns => [.. _earlier, .. _suites.Values];

    readonly List<SuiteRun> _earlier = [];

    /// <summary>Every case measured, in the order measured (ratios filled in).</summary>
    public IReadOnlyList<CaseResult> Results { get { lock (_results) return [.. _results]; } }

    public void Record(CaseResult r) { lock (_results) _results.Add(r); }

    /// <summary>
    /// The suite as measured in this run (measuring it now if it was not yet). When a baseline is recorded over
    /// several passes, the earlier passes go over every case first; the tests then see the last pass.
    /// </summary>
    public async Task<SuiteRun> SuiteAsync(SuiteCase c, CancellationToken ct)
    {
        if (Settings.RecordPasses > 1 && !_earlierPassesDone)
        {
            _earlierPassesDone = true;
            for (var pass = 1; pass < Settings.RecordPasses; pass++)
            {
                var plains = new Dictionary<IpsecMode, SuiteRun>();
                foreach (var each in SuiteCases.Of(Profile, Deployment.Spec))
                {
                    var r = await SuiteRun.MeasureAsync(this, each, each.IsPlain ? null : plains.GetValueOrDefault(each.Mode), pass, ct);
                    _earlier.Add(r);
                    if (each.IsPlain) plains[each.Mode] = r;
                }
            }
        }
        if (_suites.TryGetValue(c, out var done)) return done;
        SuiteRun? plain = null;
        if (!c.IsPlain) plain = await SuiteAsync(new SuiteCase(Protection.Plain, c.Mode), ct);
        var run = await SuiteRun.MeasureAsync(this, c, plain, Math.Max(Settings.RecordPasses, 1), ct);
        _suites[c] = run;
        return run;
    }

    bool _earlierPassesDone;

    /// <summary>The baseline key of a measured case: the baseline stack's MTU, everything else as measured.</summary>
    public BaselineEntry? BaselineFor(CaseKey key) => Baseline?.Find(key with { Mtu = BaselineMtu });

    public Verdict Judge(CaseResult c) => Verification.Judge.Of(c, BaselineFor(c.Key), Thresholds, Provider, BaselineName);

    /// <summary>Opens the stack (taking its lock), brings it up as declared and reads what it runs.</summary>
    public static async Task<RunContext> OpenAsync(Settings settings, CancellationToken ct)
    {
        if (settings.Problem is { } problem) throw new InvalidDataException(problem);
        var project = Repo.Project;
        var profile = Profile.Load(settings.Profile);
        var thresholds = Thresholds.Load();
        var baseline = BaselineFile.Load(settings.Baseline);
        var deployment = Deployment.Open(project, settings.Stack, "verify", new ProgressReporter());
        var spec = deployment.Spec;
        var (wasUp, _) = deployment.RunningNow();
        try
        {
            var baselineMtu = File.Exists(project.StackFile(settings.Baseline)) ? StackLoader.Load(project, settings.Baseline).Mtu : spec.Mtu;

            ProgressReporter.Line($"verification: stack {settings.Stack} ({(wasUp ? "running" : "not running; bringing it up")}), " +
                                  $"profile {profile.Name}, baseline {settings.Baseline}{(settings.Record ? " (recording)" : "")}");
            var (_, applied) = await deployment.UpAsync(null, ct);
            if (applied.Failed) throw new InvalidOperationException($"up --stack {settings.Stack} failed; see the lines marked failed above");

            var gateways = await Task.WhenAll(spec.Gateways.Select(g => RunInfo.ProbeAsync(deployment.Shell(g.Name), ct)));
            var info = new RunInfo(settings.Stack, deployment.Provider.Kind, profile.Name, settings.Baseline,
                DateTimeOffset.UtcNow, Environment.MachineName, RunInfo.ThisKernel(), Environment.ProcessorCount,
                Environment.Version.ToString(), RunInfo.ToolVersion(), gateways);
            return new RunContext
            {
                Deployment = deployment, Settings = settings, Profile = profile, Thresholds = thresholds, Baseline = baseline,
                BaselineMtu = baselineMtu, HostSideCpu = deployment.Provider.HostSideCpu(spec),
                Info = info, WasUp = wasUp,
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
