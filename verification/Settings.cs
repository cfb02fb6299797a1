namespace Verification;

/// <summary>
/// What a verification run targets, from the environment (so CI sets it without touching files):
/// <c>TESTBED_STACK</c> (default <c>local</c>), <c>TESTBED_BASELINE</c> (default: the stack itself),
/// <c>TESTBED_PROFILE</c> (default <c>quick</c>), <c>TESTBED_KEEP=1</c> (leave a stack this run brought up running),
/// <c>TESTBED_RECORD_BASELINE=N</c> (measure every case N times and write the medians as the stack's baseline
/// instead of comparing; 1 is a single pass), <c>TESTBED_RECORD_ADD=1</c> (add that recording to the stack's baseline as
/// another session instead of replacing it).
/// </summary>
/// <param name="Seed">The order of the visits (<c>TESTBED_SEED</c>); a run prints the one it used, to repeat it.</param>
public sealed record Settings(string Stack, string Baseline, string Profile, bool Keep, int RecordPasses, string? Problem = null, int? Seed = null,
    bool AddSession = false)
{
    public bool Record => RecordPasses > 0;

    public static Settings FromEnvironment(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        string? Value(string name) => env(name) is { Length: > 0 } v ? v.Trim() : null;
        var stack = Value("TESTBED_STACK") ?? "local";
        var record = Value("TESTBED_RECORD_BASELINE");
        var passes = record is null ? 0 : int.TryParse(record, out var n) && n is >= 1 and <= 20 ? n : -1;
        var seedText = Value("TESTBED_SEED");
        int? seed = seedText is null ? null : int.TryParse(seedText, out var s) && s > 0 ? s : -1;
        var add = Value("TESTBED_RECORD_ADD");
        var problem = passes < 0 ? $"TESTBED_RECORD_BASELINE='{record}' is not a number of passes from 1 to 20"
            : seed < 0 ? $"TESTBED_SEED='{seedText}' is not a positive number"
            : add is not (null or "0" or "1") ? $"TESTBED_RECORD_ADD='{add}' is not 1 (add a session) or 0"
            : add == "1" && passes == 0 ? "TESTBED_RECORD_ADD=1 adds a recording as a session; it needs TESTBED_RECORD_BASELINE=N" : null;
        return new Settings(stack, Value("TESTBED_BASELINE") ?? stack, Value("TESTBED_PROFILE") ?? "quick", Value("TESTBED_KEEP") == "1",
            Math.Max(passes, 0), problem, seed, add == "1");
    }

    public static Settings Current { get; } = FromEnvironment();
}
