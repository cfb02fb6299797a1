using FluentAssertions;
using NUnit.Framework;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// Last: destroy of the lab stack puts every setting back as it was found on hosts the tool did not create
/// (issue 2). The guests' snapshots from before the lab's first up must come back line for line, after every kill,
/// cut, reboot and repair the tests before this one put them through.
/// </summary>
[TestFixture, Order(9)]
public sealed class RestoreTests
{
    static FaultLab Lab => FaultsRun.Lab;

    [Test]
    public async Task Destroy_puts_every_setting_back_as_found_on_hosts_the_tool_did_not_create()
    {
        await Lab.EnsureUpAsync();
        var managed = (await Lab.StatusAsync()).Settings;
        var managedSysctls = managed.Where(s => s.Kind == "sysctl").Select(s => s.Name).ToHashSet();
        managedSysctls.Where(GuestSnapshot.VolatileSysctl).Should()
            .BeEmpty("a sysctl the lab manages must never be left out of the comparison");

        var destroy = await Lab.Cli.RunAsync(["destroy", "--stack", Stacks.Lab, "--yes"]);
        destroy.ExitCode.Should().Be(0, $"destroy must succeed: {destroy}");
        Directory.Exists(StateCheck.PathsOf(Stacks.Lab).Dir).Should().BeFalse("destroy removes the stack's state folder");

        var diffs = new List<string>();
        var compared = 0;
        foreach (var host in FaultLab.Hosts)
        {
            var after = await Lab.SnapshotAsync(host);
            diffs.AddRange(Lab.Before[host].Diff(after));
            compared += after.Lines;
        }
        FaultLab.Say($"destroy: {managed.Count} managed settings, {compared} lines of host configuration compared with the " +
                     $"snapshot from before the first up, {diffs.Count} differ");
        diffs.Should().BeEmpty("destroy must leave both hosts exactly as they were found");
        // The destroy's own output, and everything since the secret tests, searched once more.
        SecretLeakTests.AssertNoSecretInTranscript();
    }
}
