using Testbed.Engine;

namespace Verification.Faults;

/// <summary>The checkpoint of a stack as the engine itself loads it, and what a kill or a cut may have done to it.</summary>
public sealed record StateCheck(StackState State, IReadOnlyList<string> DuplicateUrns, IReadOnlyList<ResourceRecord> Unsettled, UnixFileMode Mode)
{
    public const string ProjectName = "ipsec-testbed";

    public static StackPaths PathsOf(string stack) => StackPaths.For(ProjectName, stack);

    /// <summary>Loads state.json; throws (InvalidDataException) when it does not parse.</summary>
    public static StateCheck Read(string stack)
    {
        var paths = PathsOf(stack);
        if (!File.Exists(paths.State)) throw new FileNotFoundException($"no state file for {stack}", paths.State);
        var state = new StateStore(paths).Load(ProjectName, stack);
        var duplicates = state.Resources.GroupBy(r => r.Urn).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unsettled = state.Resources.Where(r => r.Status != RecordStatus.Applied).ToList();
        return new StateCheck(state, duplicates, unsettled, File.GetUnixFileMode(paths.State));
    }
}
