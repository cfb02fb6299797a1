using FluentAssertions;
using NUnit.Framework;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// A guest rebooted behind the tool's back: refresh reports every runtime setting as drifted, and up restores them
/// (issue 5, part 3). "Every runtime setting" is every managed setting whose applied value differs from the value
/// the host had before the lab's first up: a reboot takes the host back to that value. The rest (packages, the
/// MTU, sysctls the profile sets to their defaults) survive a reboot and must not be reported.
/// </summary>
[TestFixture, Order(3)]
public sealed class RebootTests
{
    static FaultLab Lab => FaultsRun.Lab;

    [Test]
    public async Task A_reboot_behind_the_tools_back_is_reported_as_drift_of_every_runtime_setting_and_repaired_by_up()
    {
        await Lab.EnsureUpAsync();
        var status = await Lab.StatusAsync();
        var runtime = status.Settings.Where(s => s.Original != LiveView.Expected(s)).ToList();
        var lasting = status.Settings.Except(runtime).ToList();
        foreach (var host in FaultLab.Hosts)
            runtime.Where(s => s.Host == host).Select(s => s.Kind).Distinct().Should().Contain(
                ["sysctl", "ethtool-coalesce", "link", "addr", "route", "xfrm-state", "xfrm-policy"],
                $"every kind of runtime setting must be in the test on {host}");

        var rebootTime = await Lab.RebootGuestsAsync();
        var refresh = await Lab.Cli.RunAsync(["refresh", "--stack", Stacks.Lab, "--expect-no-changes"]);
        refresh.ExitCode.Should().Be(1, $"refresh --expect-no-changes must fail on drift: {refresh}");

        var drifted = refresh.Stdout.Split('\n').Where(l => l.Contains(" drifted ")).ToList();
        foreach (var s in runtime)
            drifted.Should().Contain(l => Names(l, s.Host, s.Kind, s.Name), $"refresh must name {s.Host} {s.Kind} {s.Name} as drifted");
        foreach (var s in lasting)
            drifted.Should().NotContain(l => Names(l, s.Host, s.Kind, s.Name), $"{s.Host} {s.Kind} {s.Name} survives a reboot");
        foreach (var host in FaultLab.Hosts)
            refresh.Stdout.Should().Contain($"{host} rebooted since the last up");

        var converged = await Convergence.AssertAsync(Lab, "after the reboot");
        converged.UpChanged.Should().Be(runtime.Count, "up must restore exactly the settings the reboot took away");
        Lab.Tally.RebootRepaired(runtime.Count);
        FaultLab.Say($"reboot: both guests back in {rebootTime.TotalSeconds:0.0} s; refresh named {runtime.Count} of {status.Settings.Count} " +
                     $"settings drifted ({string.Join(", ", runtime.GroupBy(s => s.Kind).Select(g => $"{g.Count()} {g.Key}"))}) and both reboots, " +
                     $"{lasting.Count} unchanged; up restored {converged.UpChanged} in {converged.UpTime.TotalSeconds:0.0} s; ping {converged.PingsReceived}/3");
    }

    // "  gw-a   sysctl           net.core.rmem_max        drifted  ..."
    static bool Names(string line, string host, string kind, string name)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 3 && words[0] == host && words[1] == kind && line.Contains($" {name} ", StringComparison.Ordinal);
    }
}
