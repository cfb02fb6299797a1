using FluentAssertions;
using NUnit.Framework;

namespace Verification.Unit;

/// <summary>The shipped profiles and thresholds load and say what the issue asks of them.</summary>
public class DataFileTests
{
    [Test]
    public void Quick_profile_samples_the_ci_suites()
    {
        var p = Profile.Load("quick");
        p.Cases.Should().Equal("plain", "ah-md5", "esp-3des-sha1", "esp-aes128-sha1", "esp-aes128gcm16");
        p.Modes.Should().BeNull("quick measures in the stack's own mode");
        p.Sampling.PerCase.Should().BeGreaterThanOrEqualTo(Testbed.Measurement.Detection.Comparison.MinSamples);
        p.Sampling.Visits.Should().BeGreaterThanOrEqualTo(2);
    }

    [Test]
    public void Full_profile_is_the_papers_matrix()
    {
        var p = Profile.Load("full");
        p.Cases.Should().HaveCount(18).And.Contain("plain");
        p.Protections.Where(x => x.Proto != Testbed.Model.IpsecProto.None).Should().HaveCount(17);
        p.MessageSizes.Should().Equal(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        p.Sampling.Seconds.Should().Be(10, "the paper's 10 s runs");
        p.Modes.Should().BeEquivalentTo(["transport", "tunnel"]);
    }

    [Test]
    public void A_profile_without_plain_ip_an_unknown_case_or_too_few_samples_is_refused()
    {
        var p = Profile.Load("quick") with { Cases = ["ah-md5", "esp-rot13"] };
        p.Problems().Should().Contain(x => x.Contains("plain IP")).And.Contain(x => x.Contains("'esp-rot13'"));
        (Profile.Load("quick") with { Sampling = new Sampling(2, 1, 2, 25, 3) }).Problems().Should().Contain(x => x.Contains("at least 4"));
        (Profile.Load("quick") with { Sampling = new Sampling(2, 4, 1, 25, 3) }).Problems().Should().Contain(x => x.Contains("visits"));
    }

    [Test]
    public void An_unknown_profile_names_the_known_ones()
    {
        var act = () => Profile.Load("nosuch");
        act.Should().Throw<InvalidDataException>().WithMessage("*profiles: full, quick*");
    }

    [Test]
    public void Thresholds_load_with_a_probability_and_a_tolerated_worsening()
    {
        var t = Thresholds.Load();
        t.Alpha.Should().BeInRange(0.0001, 0.05);
        t.SameRunThreshold.Should().BeInRange(0.0, 0.15);
    }

    [Test]
    public void Settings_come_from_the_environment_with_the_stack_as_its_own_baseline()
    {
        var s = Settings.FromEnvironment(_ => null);
        s.Should().Be(new Settings("local", "local", "quick", false, 0));
        Settings.FromEnvironment(n => n == "TESTBED_BASELINE" ? "local" : n == "TESTBED_STACK" ? "local-small-mtu" : null)
            .Baseline.Should().Be("local");
        Settings.FromEnvironment(n => n == "TESTBED_SEED" ? "x" : null).Problem.Should().Contain("TESTBED_SEED");
        Settings.FromEnvironment(n => n switch { "TESTBED_RECORD_BASELINE" => "3", "TESTBED_RECORD_ADD" => "1", _ => null })
            .Should().Match<Settings>(x => x.AddSession && x.RecordPasses == 3 && x.Problem == null);
        Settings.FromEnvironment(n => n == "TESTBED_RECORD_ADD" ? "1" : null).Problem.Should().Contain("needs TESTBED_RECORD_BASELINE");
        Settings.FromEnvironment(n => n == "TESTBED_RECORD_ADD" ? "yes" : null).Problem.Should().Contain("TESTBED_RECORD_ADD='yes'");
    }
}
