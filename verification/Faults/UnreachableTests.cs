using FluentAssertions;
using NUnit.Framework;
using Testbed.Local;
using Testbed.Transport;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// An unreachable host: a clear error within a bounded time (issue 5, part 3), before anything is applied or
/// recorded. Two ways to be unreachable: a port that refuses (the host is up, sshd is not), and a port that
/// accepts and never answers (a firewall or a hung host), the slow case the connect timeout bounds.
/// </summary>
[TestFixture, Order(5)]
public sealed class UnreachableTests
{
    static FaultLab Lab => FaultsRun.Lab;

    [Test]
    public async Task A_host_whose_ssh_port_refuses_is_reported_with_its_inventory_entry()
    {
        // Free: taken from the kernel and given back, so nobody listens there.
        var port = Forwards.FreePort();
        var r = await UpUnreachableAsync(new Dictionary<string, int> { ["gw-a"] = port, ["gw-b"] = port }, env: null);
        r.Output.Should().Contain("connection refused");
        Report("refused", r, SshOptions.Default);
    }

    [Test]
    public async Task A_host_that_never_answers_is_reported_after_the_connect_timeout()
    {
        // Accepts, then silence. A short connect timeout (TESTBED_SSH_TIMEOUT) keeps the test quick; the bound follows it.
        using var hole = TcpProxy.Start("black hole", Forwards.FreePort());
        hole.BlackHole = true;
        var o = SshOptions.Default with { ConnectTimeout = TimeSpan.FromSeconds(2) };
        var r = await UpUnreachableAsync(new Dictionary<string, int> { ["gw-a"] = hole.Port, ["gw-b"] = hole.Port },
            new Dictionary<string, string?> { ["TESTBED_SSH_TIMEOUT"] = "2" });
        r.Output.Should().Contain("timed out");
        hole.Accepted.Should().Be(2 * o.ConnectAttempts, "each host is tried ConnectAttempts times, no more");
        r.Elapsed.Should().BeGreaterThan(o.ConnectTimeout * o.ConnectAttempts, "each attempt must have waited its timeout");
        Report("black hole", r, o);
    }

    async Task<CliResult> UpUnreachableAsync(IReadOnlyDictionary<string, int> ports, IReadOnlyDictionary<string, string?>? env)
    {
        var dir = StateCheck.PathsOf(Stacks.Unreachable).Dir;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Lab.Project.CopyKey(Lab.ClientKey, "faults-unreach.id_ecdsa", ThrowAwayProject.OwnerOnly);
        Lab.Project.WriteSshInventory("faults-unreach", ports, "faults-unreach.id_ecdsa");
        Lab.Project.WriteStack(Stacks.Unreachable, Stacks.NoIpsecYaml("faults-unreach"));

        var r = await Lab.Cli.RunAsync(["up", "--stack", Stacks.Unreachable, "--yes"], env: env);
        r.ExitCode.Should().Be(2, $"an unreachable host is bad input: nothing was touched: {r}");
        foreach (var host in FaultLab.Hosts)
            r.Output.Should().Contain($"inventory/faults-unreach.yaml: hosts.{host}.ssh: {host} (root@127.0.0.1:{ports[host]}) is unreachable",
                "the error names the inventory entry, the host and its endpoint");
        r.Output.Should().Contain("nothing was changed on any host");
        // Nothing was recorded: the folder holds the lock file and nothing else.
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Should().BeEquivalentTo(["lock"], "nothing may be recorded for a stack that never reached its hosts");
        return r;
    }

    void Report(string how, CliResult r, SshOptions o)
    {
        var bound = ConnectionDropTests.Bound(o);
        r.Elapsed.Should().BeLessThan(bound, $"the error must come within {o.ConnectAttempts} x {o.ConnectTimeout.TotalSeconds:0} s plus delays");
        Lab.Tally.Unreachable();
        FaultLab.Say($"unreachable ({how}): exit 2 after {r.Elapsed.TotalSeconds:0.0} s (bound {bound.TotalSeconds:0} s): " +
                     $"\"{KeyScrub.Scrub(r.Output.Split('\n').First(l => l.Contains("hosts.gw-a.ssh")).Trim())}\"");
    }
}
