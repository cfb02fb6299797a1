using Testbed.Bench;
using Testbed.Measurement;
using Testbed.Model;

namespace Verification;

/// <summary>
/// A profile (<c>verification/profiles/&lt;name&gt;.json</c>): which cases to measure and how, in the paper's terms;
/// its netperf <c>-i</c> and <c>-I</c> are the bench matrix's records, since both describe the same runs.
/// </summary>
/// <param name="Modes">IPsec modes to measure in; absent: the mode the stack declares.</param>
/// <param name="Cases">Protections by case name (<c>plain</c>, <c>ah-md5</c>, <c>esp-aes128-sha1</c> …); plain IP is required, every ratio needs it.</param>
public sealed record Profile(
    string Name,
    string Description,
    IReadOnlyList<string>? Modes,
    IReadOnlyList<string> Cases,
    IReadOnlyList<int> MessageSizes,
    int Seconds,
    IterationSpec Iterations,
    ConfidenceSpec Confidence)
{
    public static Profile Load(string name)
    {
        if (!Testbed.Config.StackNames.IsValid(name)) throw new InvalidDataException($"TESTBED_PROFILE '{name}' is not a profile name");
        var file = Repo.ProfileFile(name);
        if (!File.Exists(file))
            throw new InvalidDataException($"no profile '{name}' ({file} does not exist; profiles: " +
                                           string.Join(", ", Directory.GetFiles(Repo.Profiles, "*.json").Select(Path.GetFileNameWithoutExtension).Order()) + ")");
        var profile = DataJson.Read<Profile>(file);
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
        if (new NetperfRequest(System.Net.IPAddress.Loopback, System.Net.IPAddress.Loopback, MessageSizes.DefaultIfEmpty(1).Min(),
                Seconds, Iterations.Max, Iterations.Min, Confidence.Level, Confidence.Width).Problem is { } p) yield return p;
    }

    public IReadOnlyList<Protection> Protections => Cases.Select(c => Protection.Parse(c)!).ToList();

    public IReadOnlyList<IpsecMode> ModesFor(TestbedSpec stack) =>
        Modes is { Count: > 0 } ? Modes.Select(m => IpsecNames.ParseMode(m)!.Value).ToList() : [stack.Ipsec.Mode];

    /// <summary>netperf's arguments for one message size on a spec's protected path.</summary>
    public NetperfRequest Request(TestbedSpec spec, int messageSize) =>
        NetperfRequest.Across(spec, messageSize, Seconds, Iterations.Max, Iterations.Min, Confidence.Level, Confidence.Width);
}
