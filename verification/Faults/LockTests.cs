using FluentAssertions;
using NUnit.Framework;

using Verification.Support;

namespace Verification.Faults;

/// <summary>Two concurrent runs on one stack: the second is refused by the lock (issue 5, part 3).</summary>
[TestFixture, Order(4)]
public sealed class LockTests
{
    static FaultLab Lab => FaultsRun.Lab;

    [Test]
    public async Task A_second_up_and_a_destroy_are_refused_while_an_up_holds_the_stack()
    {
        await Lab.EnsureUpAsync();
        foreach (var host in FaultLab.Hosts) await Lab.SetByHandAsync(host, "sysctl -w net.core.wmem_max=212992");
        CliResult second, destroy, first;
        int holder;
        try
        {
            // "Updating" is printed once the stack is open and locked, before the hosts are reached. At that moment the
            // network stalls, so the holder cannot finish (nor give up: the stall is far shorter than its connect
            // timeout) while the other two runs try the stack.
            var holding = new TaskCompletionSource();
            var run = Lab.Cli.Start(["up", "--stack", Stacks.Lab, "--yes"], onLine: (line, _) =>
            {
                if (!line.StartsWith("Updating (", StringComparison.Ordinal)) return;
                foreach (var p in Lab.Proxies.Values) p.Hold();
                holding.TrySetResult();
            });
            holder = run.Pid;
            await holding.Task.WaitAsync(TimeSpan.FromMinutes(2));
            second = await Lab.Cli.RunAsync(["up", "--stack", Stacks.Lab, "--yes"]);
            destroy = await Lab.Cli.RunAsync(["destroy", "--stack", Stacks.Lab, "--yes"]);
            run.HasExited.Should().BeFalse("the holder cannot have finished while the network stalled");
            foreach (var p in Lab.Proxies.Values) p.Release();
            first = await run.WaitAsync(TimeSpan.FromMinutes(5));
        }
        finally
        {
            foreach (var p in Lab.Proxies.Values) p.Release();
        }

        foreach (var refused in new[] { second, destroy })
        {
            refused.ExitCode.Should().Be(3, $"a second run on a locked stack exits 3: {refused}");
            refused.Output.Should().Contain($"stack '{Stacks.Lab}' is locked by pid {holder} (up,", "the refusal names the holder");
        }
        first.ExitCode.Should().Be(0, $"the holder finishes as if alone: {first}");
        first.Stdout.Should().Contain("wmem_max").And.Contain(" changed ");

        await Convergence.AssertAsync(Lab, "after the refused runs");
        Lab.Tally.LockRefused();
        Lab.Tally.LockRefused();
        FaultLab.Say($"lock: a second up ({second.Elapsed.TotalSeconds:0.0} s) and a destroy ({destroy.Elapsed.TotalSeconds:0.0} s) exited 3 " +
                     $"naming the holder's pid {holder}; the holder took {first.Elapsed.TotalSeconds:0.0} s and exited 0");
    }
}
