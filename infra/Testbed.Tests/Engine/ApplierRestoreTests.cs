using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests.Engine;

/// <summary>Settings the stack no longer declares are put back through their identity, rebuilt from the state file alone.</summary>
public class ApplierRestoreTests
{
    sealed class RecordingShell(string name) : IHostShell
    {
        public List<(string Script, string Step)> Commands { get; } = [];
        public string Name => name;
        public string Endpoint => "test";
        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct)
        {
            Commands.Add((command.Script, step));
            return Task.FromResult(new CommandResult(0, "", ""));
        }
    }

    [Test]
    public async Task Destroying_an_sa_and_a_sysctl_known_only_from_state_restores_them_through_their_identities()
    {
        var sa = XfrmState.For("gw-a", SecurityDatabases.For(Specs.Testbed(), new FakeKeyring()).Sas[0]);
        var rmem = new Sysctl { Host = "gw-a", Key = "net.ipv4.tcp_rmem", Value = "87380 4194304 4194304" };
        using var dir = new TempDir();
        var store = new StateStore(new StackPaths(dir.Path));
        var state = new StackState
        {
            Project = "ipsec-testbed", Stack = "test",
            Resources = [ResourceRecord.For(sa.Id, null, sa.Desired, RecordStatus.Applied), ResourceRecord.For(rmem.Id, Fields.Scalar("4096 131072 6291456"), rmem.Desired, RecordStatus.Applied)],
        };
        var plan = Planner.Plan([], state, new Dictionary<string, Reading> { [sa.Urn] = Reading.Of(sa.Desired), [rmem.Urn] = Reading.Of(rmem.Desired) });
        plan.Steps.Should().OnlyContain(s => s.Change == Change.Delete && s.Declared == null);

        var shell = new RecordingShell("gw-a");
        var reporter = new RecordingReporter();
        var result = await new Applier(store, state, reporter).ApplyAsync(plan, new Dictionary<string, IHostShell> { ["gw-a"] = shell }, CancellationToken.None);

        result.Outcomes.Select(o => o.Outcome).Should().Equal(Outcome.Deleted, Outcome.Deleted);
        shell.Commands.Should().Equal(
            ("ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001001 2>/dev/null || true", $"restore xfrm-state {sa.Name}"),
            ("sysctl -qw 'net.ipv4.tcp_rmem=4096 131072 6291456'", "restore sysctl net.ipv4.tcp_rmem"));
        state.Resources.Should().BeEmpty();
        reporter.Steps.Select(s => s.Step.Id).Should().Equal(sa.Id, rmem.Id);
    }
}
