using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;

using Verification.Support;

namespace Verification.Faults;

/// <summary>What one convergence check found: how much the repairing up did, and what was counted on the hosts.</summary>
public sealed record Converged(int UpChanged, TimeSpan UpTime, int Settings, int SasCounted, int PoliciesCounted, int PingsReceived);

/// <summary>
/// "It converges, nothing lost or applied twice", spelled out: up succeeds; preview and refresh then find nothing;
/// the checkpoint parses, with every record settled and none twice; each SA, policy, site address and route the
/// stack manages exists exactly once on its host and nothing else is there; and a ping crosses the tunnel.
/// </summary>
public static partial class Convergence
{
    public static async Task<Converged> AssertAsync(FaultLab lab, string context)
    {
        var up = await lab.Cli.RunAsync(["up", "--stack", Stacks.Lab, "--yes"]);
        up.ExitCode.Should().Be(0, $"up must converge {context}: {up}");
        var changed = ChangeLines(up.Stdout).Count;

        var preview = await lab.Cli.RunAsync(["preview", "--stack", Stacks.Lab, "--expect-no-changes"]);
        preview.ExitCode.Should().Be(0, $"after up ({context}) preview must find nothing to do: {preview}");
        var refresh = await lab.Cli.RunAsync(["refresh", "--stack", Stacks.Lab, "--expect-no-changes"]);
        refresh.ExitCode.Should().Be(0, $"after up ({context}) refresh must find no drift: {refresh}");

        var state = StateCheck.Read(Stacks.Lab);
        state.Mode.Should().Be(ThrowAwayProject.OwnerOnly, "state.json holds the stack's history and must be 0600");
        state.DuplicateUrns.Should().BeEmpty($"no setting may be recorded twice ({context})");
        state.Unsettled.Select(r => r.Urn).Should().BeEmpty($"after a successful up every record is applied ({context})");

        var sas = 0;
        var policies = 0;
        var received = 0;
        foreach (var (host, _, _, _, _) in ThrowAwayProject.Gateways)
        {
            // The sender also pings across the tunnel in the same round trip: one CLI run per host.
            var live = await lab.LiveAsync(host, ping: host == ThrowAwayProject.Gateways[0].Name);
            var mine = state.State.Resources.Where(r => r.Host == host).ToList();
            var declaredSas = mine.Where(r => r.Kind == ResourceKind.XfrmState).Select(Name).ToList();
            var declaredPolicies = mine.Where(r => r.Kind == ResourceKind.XfrmPolicy).Select(Name).ToList();
            declaredSas.Should().NotBeEmpty("the lab stack declares an ESP tunnel");
            live.Sas.Should().BeEquivalentTo(declaredSas, $"{host} must hold each SA of the stack exactly once and no other ({context})");
            live.Policies.Should().BeEquivalentTo(declaredPolicies, $"{host} must hold each policy exactly once and no other ({context})");
            foreach (var addr in mine.Where(r => r.Kind == ResourceKind.Addr).Select(Name))
                live.CountAddress(addr.Split(' ')[0]).Should().Be(1, $"{host} must hold {addr} once ({context})");
            foreach (var route in mine.Where(r => r.Kind == ResourceKind.Route).Select(Name))
                live.CountRoute(route).Should().Be(1, $"{host} must hold one route to {route} ({context})");
            sas += live.Sas.Count;
            policies += live.Policies.Count;
            if (live.Ping is { } ping) received = CheckPing(lab, ping, context);
        }
        return new Converged(changed, up.Elapsed, state.State.Resources.Count, sas, policies, received);
    }

    /// <summary>A setting's name as the CLI prints it: its URN without host and kind.</summary>
    public static string Name(Testbed.Engine.ResourceRecord r) => r.Urn[(r.Host.Length + r.Kind.Name.Length + 2)..];

    /// <summary>The ping from gw-a's site to gw-b's went through the forward SA and came back through the reverse one.</summary>
    static int CheckPing(FaultLab lab, string output, string context)
    {
        var m = PingSummary().Match(output);
        m.Success.Should().BeTrue($"ping must print its summary ({context}): {KeyScrub.Scrub(output)}");
        var (sent, received) = (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
        lab.Tally.Pinged(sent, received);
        received.Should().Be(sent, $"every ping must cross the tunnel and come back ({context}): {KeyScrub.Scrub(output)}");
        return received;
    }
    /// <summary>The step lines of an up that changed something on a host.</summary>
    public static IReadOnlyList<string> ChangeLines(string stdout) =>
        stdout.Split('\n').Where(IsChangeLine).ToList();

    public static bool IsChangeLine(string line) => StepLine().Match(line) is { Success: true } m && m.Groups[1].Value is "changed" or "replaced";

    // "  gw-a   sysctl           net.core.rmem_max      changed   212992 → 4194304"
    [GeneratedRegex("^  gw-\\S+\\s+\\S+\\s+.*?\\s(ok|changed|replaced|restored|skipped|failed)\\s")]
    public static partial Regex StepLine();

    [GeneratedRegex("(\\d+) packets transmitted, (\\d+) received")]
    private static partial Regex PingSummary();
}
