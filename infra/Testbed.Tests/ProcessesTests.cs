using Testbed.Machine;
using System.Runtime.InteropServices;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Local;

namespace Testbed.Tests;

public class ProcessesTests
{
    [Test]
    public void Signal_says_whether_kill_reached_the_process()
    {
        // Signal 0 only checks that the process exists and may be signalled.
        Processes.Signal(Environment.ProcessId, 0).Should().BeTrue();
        Processes.Signal(int.MaxValue, 0).Should().BeFalse("no process has that pid");
        Marshal.GetLastPInvokeError().Should().Be(3, "ESRCH, left for the caller to report");
    }
}
