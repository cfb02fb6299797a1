using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class SysctlTests
{
    static Sysctl Rmem(string value = "87380  4194304\t4194304") => new() { Host = "gw-a", Key = "net.ipv4.tcp_rmem", Value = value };

    [Test]
    public void Identity_and_traits()
    {
        var r = Rmem();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("sysctl", "net.ipv4.tcp_rmem", "gw-a/sysctl/net.ipv4.tcp_rmem"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["key"] = "net.ipv4.tcp_rmem" });
        r.ProcPath.Should().Be("/proc/sys/net/ipv4/tcp_rmem");
        (r.Exclusive, r.MaySettle, r.BestEffort).Should().Be((false, false, false));
        r.ChangeFrom(Fields.Scalar("4096 131072 6291456")).Should().Be(Change.Update);
        r.DependsOn.Should().BeEmpty();
    }

    [Test]
    public void Desired_value_is_normalized_to_single_spaces() =>
        Rmem().Desired.Should().Be(Fields.Scalar("87380 4194304 4194304"));

    [Test]
    public void Apply_writes_the_normalized_value_as_one_quoted_word() =>
        Rmem().Apply(Reading.Absent).Should().Be(new RemoteCommand("sysctl -qw 'net.ipv4.tcp_rmem=87380 4194304 4194304'"));

    [Test]
    public void Apply_of_a_single_word_needs_no_quotes() =>
        new Sysctl { Host = "gw-a", Key = "net.ipv4.tcp_sack", Value = "1" }.Apply(Reading.Absent).Script.Should().Be("sysctl -qw net.ipv4.tcp_sack=1");

    [Test]
    public void Restore_writes_the_original_back_or_does_nothing_without_one()
    {
        Rmem().Restore(Fields.Scalar("4096 131072 6291456")).Script.Should().Be("sysctl -qw 'net.ipv4.tcp_rmem=4096 131072 6291456'");
        Rmem().Restore(null).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void Read_script_reads_the_proc_file() =>
        Rmem().ReadScript.Should().Be(Testbed.Transport.Sh.ReadFirstLine("/proc/sys/net/ipv4/tcp_rmem", "!missing"));

    [Test]
    public void Parse_of_real_tab_separated_output_equals_the_desired_value()
    {
        var composed = Fixture.ComposedRead();
        composed["0"].Should().Contain("\t", "the kernel separates vector values with tabs");
        Rmem().Parse(composed["0"]).Value.Should().Be(Rmem().Desired);
    }

    [Test]
    public void Parse_of_missing_marks_the_knob_unsupported()
    {
        var r = new Sysctl { Host = "gw-a", Key = "net.ipv4.no_such_knob", Value = "1" };
        var reading = r.Parse(Fixture.ComposedRead()["1"]);
        reading.Value.Should().BeNull();
        reading.Unsupported.Should().Be("the kernel has no net.ipv4.no_such_knob");
    }

    // Under bash (root's login shell on the Debian guests, so what SSH runs the read with). Under dash see KnownBugTests.
    [Test]
    public void Read_script_reads_the_whole_vector_in_bash()
    {
        var (stdout, exit) = Shell.Run(Rmem().ReadScript, "/bin/bash");
        exit.Should().Be(0);
        Rmem().Parse(stdout).Value!["value"].Should().Be(Sysctl.Normalize(File.ReadAllText("/proc/sys/net/ipv4/tcp_rmem")));
    }

    [TestCaseSource(typeof(Shell), nameof(Shell.Shells))]
    public void Read_script_of_a_missing_knob_reads_as_unsupported(string shell)
    {
        var missing = new Sysctl { Host = "h", Key = "net.ipv4.no_such_knob", Value = "1" };
        missing.Parse(Shell.Run(missing.ReadScript, shell).Stdout).Unsupported.Should().Be("the kernel has no net.ipv4.no_such_knob");
    }

    [TestCase("net.ipv4.tcp_rmem", true)]
    [TestCase("net.core.rmem_max", true)]
    [TestCase("net.ipv4.conf.vec0.rp_filter", true)]
    [TestCase("kernel", false)]
    [TestCase("net.ipv4.tcp_rmem;reboot", false)]
    [TestCase("net/ipv4/tcp_rmem", false)]
    [TestCase("net.ipv4.$(reboot)", false)]
    [TestCase("Net.ipv4.tcp_rmem", false)]
    public void Key_validation(string key, bool valid) => Sysctl.IsValidKey(key).Should().Be(valid);

    [TestCase("1", true)]
    [TestCase("87380 4194304 4194304", true)]
    [TestCase("87380\t4194304", true)]
    [TestCase("cubic", true)]
    [TestCase("1; reboot", false)]
    [TestCase("$(reboot)", false)]
    [TestCase("`id`", false)]
    [TestCase("a|b", false)]
    [TestCase("", false)]
    public void Value_validation(string value, bool valid) => Sysctl.IsValidValue(value).Should().Be(valid);
}
