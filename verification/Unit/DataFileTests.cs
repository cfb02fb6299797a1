using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;

namespace Verification.Unit;

/// <summary>The shipped profiles and thresholds load and say what the issue asks of them.</summary>
public class DataFileTests
{
    [Test]
    public void Quick_profile_measures_the_ci_suites()
    {
        var p = Profile.Load("quick");
        p.Cases.Should().Equal("plain", "ah-md5", "esp-3des-sha1", "esp-aes128-sha1", "esp-aes128gcm16");
        p.MessageSizes.Should().HaveCountLessThanOrEqualTo(2);
        p.Modes.Should().BeNull("quick measures in the stack's own mode");
    }

    [Test]
    public void Full_profile_is_the_papers_matrix()
    {
        var p = Profile.Load("full");
        p.Cases.Should().HaveCount(18).And.Contain("plain");
        p.Protections.Where(x => x.Proto != Testbed.Model.IpsecProto.None).Should().HaveCount(17);
        p.MessageSizes.Should().Equal(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        (p.Seconds, p.Iterations, p.Confidence).Should().Be((10, new IterationSpec(12, 4), new ConfidenceSpec(95, 3)));
        p.Modes.Should().BeEquivalentTo(["transport", "tunnel"]);
    }

    [Test]
    public void A_profile_without_plain_ip_or_with_an_unknown_case_is_refused()
    {
        var p = Profile.Load("quick") with { Cases = ["ah-md5", "esp-rot13"] };
        p.Problems().Should().Contain(x => x.Contains("plain IP")).And.Contain(x => x.Contains("'esp-rot13'"));
        (Profile.Load("quick") with { Iterations = new IterationSpec(2, 1) }).Problems().Should().Contain(x => x.Contains("min >= 3"));
    }

    [Test]
    public void An_unknown_profile_names_the_known_ones()
    {
        var act = () => Profile.Load("nosuch");
        act.Should().Throw<InvalidDataException>().WithMessage("*profiles: full, quick*");
    }

    [Test]
    public void Thresholds_load_and_gate_absolute_throughput_on_lab_stacks_only()
    {
        var t = Thresholds.Load();
        t.Throughput.AppliesTo("ssh").Should().BeTrue();
        t.Throughput.AppliesTo("local").Should().BeFalse();
        t.RatioToPlain.AppliesTo("local").Should().BeTrue();
        t.CpuPerMbit.AppliesTo("local").Should().BeTrue();
    }

    [Test]
    public void Settings_default_to_the_local_stack_quick_profile_and_own_baseline()
    {
        var s = Settings.FromEnvironment(_ => null);
        s.Should().Be(new Settings("local", "local", "quick", false, 0));
        s.Record.Should().BeFalse();
        var lab = Settings.FromEnvironment(n => n switch { "TESTBED_STACK" => "lab", "TESTBED_KEEP" => "1", _ => null });
        (lab.Stack, lab.Baseline, lab.Keep).Should().Be(("lab", "lab", true));
        Settings.FromEnvironment(n => n == "TESTBED_BASELINE" ? "local" : n == "TESTBED_STACK" ? "local-small-mtu" : null)
            .Baseline.Should().Be("local");
        Settings.FromEnvironment(n => n == "TESTBED_RECORD_BASELINE" ? "3" : null).RecordPasses.Should().Be(3);
        Settings.FromEnvironment(n => n == "TESTBED_RECORD_BASELINE" ? "yes" : null).Problem.Should().Contain("'yes'");
    }
}
