using Testbed.Machine;
using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Testbed.Tests.Measurement;

public class ProcessCpuTests
{
    [Test]
    public void A_stat_line_sums_own_and_reaped_children_time()
    {
        // /proc/<pid>/stat of the local gw-a guest's kernel process (2026-11-26); fields 14..17 are utime stime cutime cstime.
        const string line = "29084 (linux.uml) S 1 29084 29084 0 -1 4194560 36663 284795 1 0 9586 14458 298 2103 20 0 1 0 382260 " +
                            "273293312 17477 18446744073709551615 1610616832 1619757968 140731993724080 0 0 0 4096 4101 402679514 1 0 0 17 0 0 0 0 0 0";
        ProcessCpu.Ticks(line).Should().Be(9586 + 14458 + 298 + 2103);
    }

    [Test]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        const string line = "7 (a b) (c)) R 1 7 7 0 -1 0 0 0 0 0 10 20 30 40 20 0 1 0 5 0 0";
        ProcessCpu.Ticks(line).Should().Be(100);
        var act = () => ProcessCpu.Ticks("garbage");
        act.Should().Throw<FormatException>();
    }

    [Test]
    public void This_process_is_charged_the_cpu_it_burns()
    {
        var self = Environment.ProcessId;
        var before = ProcessCpu.Ticks([self]);
        var me = Process.GetCurrentProcess();
        var start = me.TotalProcessorTime;
        var x = 0.0;
        while ((me.TotalProcessorTime - start).TotalMilliseconds < 300)
        {
            for (var i = 0; i < 100_000; i++) x += Math.Sqrt(i);
            me.Refresh();
        }
        var after = ProcessCpu.Ticks([self]);
        (after - before).Should().BeGreaterThanOrEqualTo(20, $"300 ms of CPU are 30 ticks of 10 ms (spun to {x:0})");
        ProcessCpu.Ticks([int.MaxValue]).Should().Be(0, "a process that is gone counts as nothing");
    }
}
