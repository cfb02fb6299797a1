using Testbed.Measurement;
using Testbed.Model;

namespace Verification;

/// <summary>
/// How a profile samples: each suite is visited <see cref="Visits"/> times per side (the stack, and its reference when the
/// declaration differs from it), spread over the run; each visit takes <see cref="PerVisit"/> rounds of one netperf run
/// of <see cref="Seconds"/> through the suite and one of plain IP beside it. A sample waits until this machine does no
/// more than <see cref="MaxOtherLoadPercent"/> % of a core of other work, and one taken while it did more is taken again,
/// up to <see cref="Retries"/> times; all the waiting and retaking of a run may add <see cref="BusyBudgetSeconds"/> to it
/// at most, after which samples are kept as they come (the table says how busy the machine was).
/// </summary>
public sealed record Sampling(int Seconds, int PerVisit, int Visits, double MaxOtherLoadPercent, int Retries, int BusyBudgetSeconds = 90)
{
    /// <summary>Samples per case and side.</summary>
    public int PerCase => PerVisit * Visits;
}

/// <summary>
/// A profile (<c>verification/profiles/&lt;name&gt;.json</c>): which cases to measure and how many short samples of each.
/// </summary>
/// <param name="Modes">IPsec modes to measure in; absent: the mode the stack declares.</param>
/// <param name="Cases">Protections by case name (<c>plain</c>, <c>ah-md5</c>, <c>esp-aes128-sha1</c> …); plain IP is required, every ratio needs it.</param>
public sealed record Profile(
    string Name,
    string Description,
    IReadOnlyList<string>? Modes,
    IReadOnlyList<string> Cases,
    IReadOnlyList<int> MessageSizes,
    Sampling Sampling)
{
    public static Profile Load(string name)
    {
        if (!Testbed.Config.StackNames.IsValid(name)) throw new InvalidDataException($"TESTBED_PROFILE '{name}' is not a profile name");
        var file = Repo.ProfileFile(name);
        if (!File.Exists(file))
            throw new InvalidDataException($"no profile '{name}' ({file} does not exist; profiles: " +
                                           string.Join(", ", Directory.GetFiles(Repo.Profiles, "*.json").Select(Path.GetFileNameWithoutExtension).Order()) + ")");
        var profile = DataJson.Read<Profile>(file, VerificationJson.Data);
        var problems = profile.Problems().ToList();
        if (profile.Name != name) problems.Add($"its name is '{profile.Name}', the file says '{name}'");
        if (problems.Count > 0) throw new InvalidDataException($"{file}: {string.Join("; ", problems)}");
        return profile;
    }

    public IEnumerable<string> Problems()
    {
        foreach (var c in Cases.Where(c => Protection.Parse(c) is null)) yield return $"'{c}' is not a case name (plain, ah-md5, esp-aes128-sha1, …)";
        if (!Cases.Contains("plain")) yield return "it must measure plain IP, the reference of every ratio";
        if (Cases.Distinct().Count() != Cases.Count) yield return "a case is listed twice";
        foreach (var m in Modes ?? []) if (IpsecNames.ParseMode(m) is null) yield return $"mode '{m}' is neither tunnel nor transport";
        if (MessageSizes.Count == 0) yield return "it lists no message sizes";
        if (MessageSizes.Any(s => s < 1)) yield return "a message size is not positive";
        if (Sampling is null) { yield return "it has no sampling"; yield break; }
        if (Sampling.Seconds < 1) yield return "sampling.seconds must be at least 1";
        if (Sampling.PerVisit < 1) yield return "sampling.perVisit must be at least 1";
        // Two visits at least: the drift between them is what a later run's comparison with this one has to tolerate.
        if (Sampling.Visits < 2) yield return "sampling.visits must be at least 2";
        if (Sampling.PerCase < Testbed.Measurement.Detection.Comparison.MinSamples)
            yield return $"sampling gives {Sampling.PerCase} samples per case; the judge needs at least {Testbed.Measurement.Detection.Comparison.MinSamples}";
        if (Sampling.MaxOtherLoadPercent <= 0) yield return "sampling.maxOtherLoadPercent must be positive";
        if (Sampling.Retries < 0) yield return "sampling.retries must not be negative";
        if (Sampling.BusyBudgetSeconds < 0) yield return "sampling.busyBudgetSeconds must not be negative";
    }

    public IReadOnlyList<Protection> Protections => Cases.Select(c => Protection.Parse(c)!).ToList();

    public IReadOnlyList<IpsecMode> ModesFor(TestbedSpec stack) =>
        Modes is { Count: > 0 } ? Modes.Select(m => IpsecNames.ParseMode(m)!.Value).ToList() : [stack.Ipsec.Mode];

    /// <summary>netperf's arguments for one sample of one message size on a path.</summary>
    public NetperfRequest Request(System.Net.IPAddress target, System.Net.IPAddress source, int messageSize) =>
        NetperfRequest.Sample(target, source, messageSize, Sampling.Seconds);
}
