using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;
using Testbed.Transport;

namespace Testbed.Tests.Measurement;

public class CpuTests
{
    /// <summary>
    /// /proc/stat of the local gw-a guest (one CPU) right before and right after a 3 s netperf run through an ESP
    /// tunnel, 2026-11-26 (the first three lines, the intr line cut short).
    /// </summary>
    const string GuestBefore = """
        cpu  28389 0 257 14440 0 0 114 0 0 0
        cpu0 28389 0 257 14440 0 0 114 0 0 0
        intr 9850634 30190 0 2 0 0 0 0 0 0 0 1 2393 1686 5148506 466
        """;

    const string GuestAfter = """
        cpu  28716 0 259 14464 0 0 116 0 0 0
        cpu0 28716 0 259 14464 0 0 116 0 0 0
        intr 10028382 30528 0 2 0 0 0 0 0 0 0 1 2394 1687 5241479 47
        """;

    [Test]
    public void The_aggregate_line_and_the_cpu_count_are_read()
    {
        var t = CpuTimes.Parse(GuestAfter);
        t.Should().Be(new CpuTimes(28716, 0, 259, 14464, 0, 0, 116, 0, 1));
        t.Total.Should().Be(28716 + 259 + 14464 + 116);
        var act = () => CpuTimes.Parse("intr 1 2 3");
        act.Should().Throw<FormatException>();
    }

    [Test]
    public void Proc_stat_gives_the_papers_split_and_busy_time()
    {
        var use = CpuUse.FromProcStat(CpuTimes.Parse(GuestBefore), CpuTimes.Parse(GuestAfter), 3.55);
        var s = use.Shares!;
        (s.User + s.Nice + s.System + s.Irq + s.Softirq + s.Steal + s.Iowait + s.Idle).Should().BeApproximately(100, 1e-9);
        // Deltas: user 327, system 2, idle 24, softirq 2 of 355 ticks: a UML guest books its work as user.
        s.User.Should().BeApproximately(100.0 * 327 / 355, 1e-9);
        s.System.Should().BeApproximately(100.0 * 2 / 355, 1e-9);
        s.Idle.Should().BeApproximately(100.0 * 24 / 355, 1e-9);
        use.CorePercent.Should().BeApproximately(100.0 * 331 / 355, 1e-9, "busy is all but idle and iowait, on one CPU");
        use.Source.Should().Be(CpuSources.GuestProcStat);
    }

    [Test]
    public void Busy_time_counts_in_cores_on_a_multi_cpu_host()
    {
        var before = new CpuTimes(100, 0, 100, 800, 0, 0, 0, 0, 4);
        var after = new CpuTimes(300, 0, 300, 1200, 0, 0, 200, 0, 4);
        // 600 of 1000 ticks busy, summed over 4 CPUs: 2.4 cores.
        CpuUse.FromProcStat(before, after, 2.5).CorePercent.Should().BeApproximately(240, 1e-9);
        CpuUse.FromProcessTicks(150, 2.0).CorePercent.Should().BeApproximately(75, 1e-9, "150 ticks of 10 ms in 2 s");
    }

    [Test]
    public async Task A_host_sample_reads_this_machine_in_one_script()
    {
        // The same script a gateway runs, here in this machine's sh: builtins for /proc, ip for the SAs (none here).
        var sample = HostSample.From(await RunHere(HostSample.Script(Marker, "x")), "x");
        sample.Cpu.Cpus.Should().Be(Environment.ProcessorCount);
        sample.Cpu.Total.Should().BePositive();
        sample.UptimeSeconds.Should().BePositive();
        var missing = () => HostSample.From(new Dictionary<string, string>(), "x");
        missing.Should().Throw<FormatException>().WithMessage("*x.stat*");
    }

    [Test]
    public async Task A_host_sample_without_sa_counters_runs_no_xfrm_read_and_asks_for_none()
    {
        var script = HostSample.Script(Marker, "x", sas: false);
        script.Should().NotContain("xfrm", "the xfrm read is what a sample without SA counters spares");
        var sections = await RunHere(script);
        HostSample.From(sections, "x", sas: false).Sas.Should().BeEmpty();
        HostSample.From(sections, "x", sas: false).Cpu.Total.Should().BePositive();
        var counted = () => HostSample.From(sections, "x");
        counted.Should().Throw<FormatException>("a sample asked for its SA counters must have them").WithMessage("*x.xfrm*");
    }

    const string Marker = "@@tb-test";

    /// <summary>Runs a sample script in this machine's sh and splits what it printed into its sections.</summary>
    static async Task<Dictionary<string, string>> RunHere(string script)
    {
        var r = await new LocalShell("this", null).RunAsync(new Testbed.Transport.RemoteCommand(script + $"echo {Marker} end\n"), "sample", TimeSpan.FromSeconds(10), default);
        return Testbed.Engine.LiveReader.Split(r.Stdout, Marker);
    }
}

public class IdleWindowTests
{
    static NetperfResult Stream(double mbps) => new(mbps, 5, 95, 3, 4, 16384, 4194304, 4194304, 1448, 1_000_000, 1_000_000, 0);

    static GatewayCpu Receiver(double procStatCore, double? hostCore = null) =>
        new("gw-b", "receiver", new CpuUse(CpuSources.GuestProcStat, 4.1, procStatCore, null),
            hostCore is { } h ? new CpuUse(CpuSources.HostUmlProcesses, 4.0, h, null) : null);

    [Test]
    public void A_receiver_sample_showing_no_work_while_netperf_moved_data_is_an_error_naming_why()
    {
        // What a lab stand-in run recorded: 0/0/0/0/100 on the receiver during a 328 Mbit/s stream.
        NetperfRunner.IdleWindow(Receiver(0), Stream(328)).Should()
            .Contain("gw-b (receiver)").And.Contain("0.0 % of a core").And.Contain("328 Mbit/s").And.Contain("missed the stream");
        NetperfRunner.IdleWindow(Receiver(37, hostCore: 0.2), Stream(328)).Should().Contain(CpuSources.HostUmlProcesses,
            "the host-side figure is checked the same way");
    }

    [Test]
    public void A_busy_window_or_a_stream_that_moved_nothing_passes()
    {
        NetperfRunner.IdleWindow(Receiver(37, hostCore: 45), Stream(328)).Should().BeNull();
        NetperfRunner.IdleWindow(Receiver(0), Stream(0)).Should().BeNull("with no data moved an idle gateway is the truth");
    }
}
