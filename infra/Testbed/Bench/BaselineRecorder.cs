using System.Text.Json;
using Testbed.Measurement;
using Testbed.Model;

namespace Testbed.Bench;

/// <summary>
/// Writes the verification baseline (<c>verification/baselines/&lt;stack&gt;.json</c>, the format and keys the
/// verification suite compares with) from a bench's cells: those that match what a verification profile measures on the
/// stack as its file declares it: the profile's cases and message sizes, its modes (or the stack's), the stack's MTU,
/// link and tuning. Entries the bench did not measure are kept.
/// </summary>
public static class BaselineRecorder
{
    /// <summary>The parts of <c>verification/profiles/&lt;name&gt;.json</c> that select cases (its other keys are read by the suite).</summary>
    public sealed record ProfileCases(string Name, IReadOnlyList<string> Cases, IReadOnlyList<int> MessageSizes,
        int Seconds, IterationSpec Iterations, ConfidenceSpec Confidence, IReadOnlyList<string>? Modes = null);

    static readonly JsonSerializerOptions ProfileJson = new(DataJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip };

    public static ProfileCases LoadProfile(string projectRoot, string name)
    {
        var file = ProfileFile.PathFor(projectRoot, name);
        if (!File.Exists(file)) throw new InvalidDataException($"no verification profile '{name}' ({file} does not exist)");
        return DataJson.Read<ProfileCases>(file, ProfileJson);
    }

    public sealed record Selection(IReadOnlyList<BaselineEntry> Entries, IReadOnlyList<string> Missing, IReadOnlyList<string> Notes);

    /// <summary>The baseline entries the bench's cells give for a profile on a stack, and which the profile needs but the bench lacks.</summary>
    public static Selection Select(BenchData data, TestbedSpec stack, ProfileCases profile)
    {
        var notes = new List<string>();
        var tuning = TuningLevels.Of(stack);
        if (tuning is null)
            return new Selection([], [], [$"stack {stack.Stack} declares its own sysctl/NIC values, none of the bench's tuning levels; nothing to record"]);
        var run = data.Run;
        if ((run.Seconds, run.MaxIterations, run.MinIterations) != (profile.Seconds, profile.Iterations.Max, profile.Iterations.Min)
            || run.IntervalWidthPct != profile.Confidence.Width || run.ConfidenceLevel != profile.Confidence.Level)
            notes.Add($"the bench ran netperf with {run}, the '{profile.Name}' profile with {profile.Seconds} s, -i {profile.Iterations.Max},{profile.Iterations.Min} " +
                      $"-I {profile.Confidence.Level},{profile.Confidence.Width}: the recorded intervals follow the bench's parameters");
        var modes = profile.Modes is { Count: > 0 } m ? m : [IpsecNames.Of(stack.Ipsec.Mode)];
        var entries = new List<BaselineEntry>();
        var missing = new List<string>();
        foreach (var mode in modes)
            foreach (var c in profile.Cases)
                foreach (var size in profile.MessageSizes)
                {
                    var key = new CellKey(c, mode, size, stack.Link.Name, stack.Mtu, tuning);
                    var cell = data.Find(key);
                    if (cell is null) { missing.Add(key.ToString()); continue; }
                    var result = cell.Result! with
                    {
                        Key = new CaseKey(c, mode, size, stack.Mtu, profile.Name),
                        RatioToPlain = cell.Ratio,
                    };
                    entries.Add(BaselineEntry.From([result]));
                }
        return new Selection(entries, missing, notes);
    }

    public static (string File, int Count) Write(string projectRoot, BenchData data, Selection selection)
    {
        var environment = data.Sessions.LastOrDefault()?.Environment;
        var recordedOn = environment is null ? "unknown"
            : $"{environment.MachineHostname}, Linux {environment.MachineKernel}, {environment.MachineCpus} cpu; gateways " +
              string.Join(", ", environment.Gateways.Select(g => $"{g.Host} Linux {g.Kernel}")) + $"; bench matrix {data.Matrix.Name}, one pass";
        return (BaselineFile.Record(projectRoot, data.Stack, selection.Entries, recordedOn), selection.Entries.Count);
    }
}
