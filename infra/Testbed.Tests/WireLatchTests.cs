using FluentAssertions;
using NUnit.Framework;
using Testbed.Local;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests;

/// <summary>
/// The local guests' latched wire NIC: found by pinging across the wire, cleared by resetting both data NICs, and left
/// alone when the wire answers (a failure with a working wire is not the NIC's, and must stand as it is).
/// </summary>
public class WireLatchTests
{
    /// <summary>
    /// A gateway whose pings across the wire fail until its NIC is reset (<paramref name="latched"/>), or always
    /// (<paramref name="dead"/>), or, given a <paramref name="meeting"/>, unless the other gateway's ping is in flight too.
    /// </summary>
    sealed class Gateway(string name, bool latched = false, bool dead = false, Meeting? meeting = null) : IHostShell
    {
        bool _latched = latched;
        public List<string> Commands { get; } = [];
        public string Name => name;
        public string Endpoint => "test";
        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct)
        {
            Commands.Add(command.Script);
            if (command.Script.Contains(" down && ")) _latched = false;
            var ping = command.Script.StartsWith("ping");
            if (ping && meeting is not null) return meeting.ArriveAsync();
            var silent = ping && (_latched || dead);
            return Task.FromResult(new CommandResult(silent ? 1 : 0, "", ""));
        }
    }

    /// <summary>Answers each of two pings only once both are in flight (or fails it after five seconds alone).</summary>
    sealed class Meeting
    {
        int _arrived;
        readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<CommandResult> ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) % 2 == 0) _both.TrySetResult();
            var met = await Task.WhenAny(_both.Task, Task.Delay(TimeSpan.FromSeconds(5))) == _both.Task;
            return new CommandResult(met ? 0 : 1, "", "");
        }
    }

    static readonly Testbed.Model.TestbedSpec Spec = Specs.Testbed();

    [Test]
    public async Task A_wire_that_answers_is_left_alone()
    {
        var (a, b) = (new Gateway("gw-a"), new Gateway("gw-b"));
        var repair = await WireLatch.ClearAsync(Spec.Gateways, n => n == "gw-a" ? a : b, CancellationToken.None);

        repair.Should().BeNull();
        a.Commands.Concat(b.Commands).Should().OnlyContain(c => c.StartsWith("ping"));
        a.Commands.Should().ContainSingle().Which.Should().Be("ping -c 2 -W 1 -q -I 192.0.2.1 192.0.2.2");
    }

    [Test]
    public async Task Both_gateways_ping_at_once()
    {
        // Every wire check of the suite looks first: one after the other, a wire that answers would cost two pings' time.
        var meeting = new Meeting();
        var (a, b) = (new Gateway("gw-a", meeting: meeting), new Gateway("gw-b", meeting: meeting));
        var repair = await WireLatch.ClearAsync(Spec.Gateways, n => n == "gw-a" ? a : b, CancellationToken.None);

        repair.Should().BeNull("each gateway's ping was answered only while the other's was in flight");
    }

    [Test]
    public async Task A_latched_nic_is_cleared_by_resetting_both_data_nics()
    {
        var (a, b) = (new Gateway("gw-a", latched: true), new Gateway("gw-b"));
        var repair = await WireLatch.ClearAsync(Spec.Gateways, n => n == "gw-a" ? a : b, CancellationToken.None);

        repair.Should().NotBeNull();
        repair!.Cleared.Should().BeTrue();
        repair.What.Should().Contain("carried nothing from gw-a").And.Contain("carries pings again");
        a.Commands.Should().Contain("ip link set dev vec0 down && ip link set dev vec0 up");
        b.Commands.Should().Contain("ip link set dev vec0 down && ip link set dev vec0 up");
    }

    [Test]
    public async Task A_wire_still_silent_after_the_reset_is_reported_as_not_cleared()
    {
        var (a, b) = (new Gateway("gw-a"), new Gateway("gw-b", dead: true));
        var repair = await WireLatch.ClearAsync(Spec.Gateways, n => n == "gw-a" ? a : b, CancellationToken.None);

        repair!.Cleared.Should().BeFalse();
        repair.What.Should().Contain("still carries nothing from gw-b");
    }
}
