using FluentAssertions;
using NUnit.Framework;

namespace Verification.Unit;

public class JudgeTests
{
    [Test]
    public void Tolerance_is_the_combined_half_width_between_floor_and_cap()
    {
        var t = new MetricThreshold(0.2, 0.35, ["local"]);
        Tolerance.For(t, 0.03, 0.04).Value.Should().BeApproximately(0.2, 1e-12, "a tight interval falls back to the floor");
        Tolerance.For(t, 0.18, 0.24).Value.Should().BeApproximately(0.30, 1e-12, "sqrt(0.18² + 0.24²) = 0.30");
        Tolerance.For(t, 0.9, 0.1).Value.Should().BeApproximately(0.35, 1e-12, "a run too noisy to judge cannot widen past the cap");
        Tolerance.For(t, null, 0.1).Value.Should().Be(0.35, "an unknown interval gets the cap");
    }

    [Test]
    public void A_case_like_its_baseline_passes()
    {
        var v = Judge.Of(Cases.Measured(), Cases.Baseline(), Cases.Thresholds, "local", "baseline");
        v.Passed.Should().BeTrue();
        v.Checks.Select(c => c.Metric).Should().BeEquivalentTo(["throughput ratio to plain IP", "CPU per Mbit/s [host: UML guest processes]"],
            "absolute throughput is judged on lab stacks only");
        v.Summary.Should().Be("ok");
    }

    [Test]
    public void A_ratio_below_the_tolerance_fails_with_suite_value_baseline_and_tolerance()
    {
        // Baseline 0.2, tolerance max(0.2, sqrt(0.07² + 0.07²)) = 0.2: the limit is 0.16.
        var v = Judge.Of(Cases.Measured(ratio: 0.15), Cases.Baseline(), Cases.Thresholds, "local", "baseline 'local' at MTU 1500");
        v.Passed.Should().BeFalse();
        var failed = v.Failed.Single();
        failed.Limit.Should().BeApproximately(0.16, 1e-9);
        failed.Describe("esp-aes128-sha1 tunnel 16384 B", "baseline 'local' at MTU 1500").Should()
            .Contain("esp-aes128-sha1 tunnel 16384 B").And.Contain("ratio to plain IP 0.15 is 25% below the baseline 0.2 (")
            .And.Contain("baseline 'local' at MTU 1500").And.Contain("tolerance 20%").And.Contain("limit at 0.16");
        v.Summary.Should().Be("REGRESSED throughput ratio to plain IP -25%");
    }

    [Test]
    public void Just_inside_the_tolerance_passes()
    {
        Judge.Of(Cases.Measured(ratio: 0.161), Cases.Baseline(), Cases.Thresholds, "local", "b").Passed.Should().BeTrue();
        Judge.Of(Cases.Measured(cpuPerMbit: 0.69), Cases.Baseline(), Cases.Thresholds, "local", "b").Passed.Should().BeTrue("0.5 x 1.4 = 0.7");
    }

    [Test]
    public void Cpu_per_mbit_above_the_tolerance_fails()
    {
        var v = Judge.Of(Cases.Measured(cpuPerMbit: 1.9), Cases.Baseline(), Cases.Thresholds, "local", "b");
        v.Failed.Single().Metric.Should().StartWith("CPU per Mbit/s");
        v.Failed.Single().Change.Should().BeApproximately(2.8, 1e-9);
    }

    [Test]
    public void Cpu_from_another_source_is_not_compared()
    {
        var v = Judge.Of(Cases.Measured(source: Testbed.Measurement.CpuSources.GuestProcStat), Cases.Baseline(), Cases.Thresholds, "local", "b");
        v.Passed.Should().BeFalse();
        v.Problems.Single().Should().Contain("cannot be compared");
    }

    [Test]
    public void Absolute_throughput_is_judged_on_lab_stacks()
    {
        var v = Judge.Of(Cases.Measured(mbps: 200), Cases.Baseline(), Cases.Thresholds, "ssh", "b");
        v.Failed.Select(c => c.Metric).Should().Equal("throughput");
        Judge.Of(Cases.Measured(mbps: 200), Cases.Baseline(), Cases.Thresholds, "local", "b").Passed.Should().BeTrue();
    }

    [Test]
    public void Plain_ip_is_judged_on_cost_alone_and_a_missing_baseline_is_no_pass()
    {
        var plain = Judge.Of(Cases.Measured("plain", ratio: null), Cases.Baseline("plain", ratio: null, ratioHalfWidth: null), Cases.Thresholds, "local", "b");
        plain.Checks.Should().ContainSingle().Which.Metric.Should().StartWith("CPU per Mbit/s");

        var missing = Judge.Of(Cases.Measured(), null, Cases.Thresholds, "local", "b");
        missing.Passed.Should().BeFalse();
        missing.Summary.Should().Be("no baseline");
    }
}
