using NUnit.Framework;
using Testbed.Config;
using Testbed.Model;

namespace Verification.Performance;

/// <summary>One protection in one IPsec mode: what a fixture provisions once and then measures at every message size.</summary>
public sealed record SuiteCase(Protection Protection, IpsecMode Mode)
{
    public bool IsPlain => Protection.Proto == IpsecProto.None;

    /// <summary>The stack as this case provisions it: its protection, in its mode.</summary>
    public TestbedSpec On(TestbedSpec stack) => stack with { Ipsec = stack.Ipsec.With(Protection) with { Mode = Mode } };

    public override string ToString() => $"{Protection.Name} {IpsecNames.Of(Mode)}";
}

/// <summary>
/// The fixtures and test cases of the chosen profile, read when NUnit discovers the tests: plain IP and every IPsec
/// suite in each mode, in the profile's order, and its message sizes.
/// </summary>
public static class SuiteCases
{
    static readonly Lazy<(Profile Profile, TestbedSpec Stack)> Loaded = new(() =>
        (Profile.Load(Settings.Current.Profile), StackLoader.Load(Repo.Project, Settings.Current.Stack)));

    static IEnumerable<SuiteCase> All => Of(Loaded.Value.Profile, Loaded.Value.Stack);

    /// <summary>Every suite of a profile on a stack, in measuring order: per mode, plain IP first, then the profile's order.</summary>
    public static IEnumerable<SuiteCase> Of(Profile profile, TestbedSpec stack) =>
        profile.ModesFor(stack).SelectMany(mode => profile.Protections.OrderBy(p => p.Proto == IpsecProto.None ? 0 : 1).Select(p => new SuiteCase(p, mode)));

    public static IEnumerable<TestFixtureData> Plain() =>
        All.Where(c => c.IsPlain).Select(c => new TestFixtureData(c).SetArgDisplayNames(c.ToString()));

    public static IEnumerable<TestFixtureData> Ipsec() =>
        All.Where(c => !c.IsPlain).Select(c => new TestFixtureData(c).SetArgDisplayNames(c.ToString()));

    public static IEnumerable<int> MessageSizes() => Loaded.Value.Profile.MessageSizes;
}
