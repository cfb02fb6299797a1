using FluentAssertions;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;
using NUnit.Framework;
using Testbed.Measurement.Detection;

namespace Testbed.Tests.Measurement;

public class ComparisonTests
{
    /// <summary>Samples around 1 with a spread like netperf's on a quiet machine (about 4 %), fixed so that every run sees the same.</summary>
    static double[] Around(double center, params double[] noise) => noise.Select(e => center * (1 + e)).ToArray();

    static readonly double[] Noise = [0.031, -0.042, 0.008, -0.015, 0.047, -0.022, 0.012, -0.036, 0.025, -0.004, 0.039, -0.028];
    static readonly double[] OtherNoise = [-0.019, 0.044, -0.033, 0.006, 0.021, -0.047, 0.035, -0.011, 0.002, 0.029, -0.025, 0.014];

    [Test]
    public void A_clean_pair_passes_with_a_shift_near_zero_inside_its_interval()
    {
        var v = new Comparison("ratio", Worse.Lower, Around(0.22, Noise), Around(0.22, OtherNoise)).Judge(0.05, 0.01);
        v.Regressed.Should().BeFalse();
        v.Worsening.Should().BeInRange(-0.03, 0.03);
        v.WorseningLow.Should().BeLessThan(0);
        v.WorseningHigh.Should().BeGreaterThan(0);
        v.PValue.Should().BeGreaterThan(0.5, "nothing is worse, let alone 5 % worse");
    }

    [Test]
    public void A_ratio_15_percent_lower_fails_and_the_shift_says_so()
    {
        var v = new Comparison("ratio", Worse.Lower, Around(0.22, Noise), Around(0.22 * 0.85, OtherNoise)).Judge(0.05, 0.01);
        v.Regressed.Should().BeTrue();
        v.Worsening.Should().BeApproximately(0.15, 0.03);
        v.WorseningLow.Should().BeGreaterThan(0.05, "the whole interval lies beyond the threshold");
        v.Describe("esp-aes128-sha1 16384 B").Should().Contain("+15").And.Contain("threshold +5.0%").And.Contain("12 vs 12 samples");
    }

    [Test]
    public void A_cost_15_percent_higher_fails_and_a_cost_that_fell_passes()
    {
        new Comparison("cpu", Worse.Higher, Around(0.5, Noise), Around(0.5 * 1.15, OtherNoise)).Judge(0.05, 0.01).Regressed.Should().BeTrue();
        var better = new Comparison("cpu", Worse.Higher, Around(0.5, Noise), Around(0.5 * 0.8, OtherNoise)).Judge(0.05, 0.01);
        better.Regressed.Should().BeFalse();
        better.Worsening.Should().BeApproximately(-0.2, 0.03, "a negative worsening is an improvement");
    }

    [Test]
    public void A_worsening_below_the_threshold_is_tolerated()
    {
        var reference = Around(100, Noise);
        var slightly = Around(97, OtherNoise);
        new Comparison("ratio", Worse.Lower, reference, slightly).Judge(0.10, 0.05).Regressed.Should().BeFalse("3 % worse is inside a 10 % threshold");
        new Comparison("ratio", Worse.Lower, reference, Around(80, OtherNoise)).Judge(0.10, 0.05).Regressed.Should().BeTrue("20 % is beyond it");
    }

    [Test]
    public void More_samples_or_less_noise_can_see_a_smaller_regression()
    {
        var few = new Comparison("ratio", Worse.Lower, Around(1, Noise[..6]), Around(1, OtherNoise[..6])).Judge(0.05, 0.01);
        var many = new Comparison("ratio", Worse.Lower, Around(1, Noise), Around(1, OtherNoise)).Judge(0.05, 0.01);
        var quiet = new Comparison("ratio", Worse.Lower, Around(1, Noise.Select(e => e / 4).ToArray()), Around(1, OtherNoise.Select(e => e / 4).ToArray()))
            .Judge(0.05, 0.01);
        many.Detectable.Should().BeLessThan(few.Detectable);
        quiet.Detectable.Should().BeLessThan(many.Detectable);
        quiet.Detectable.Should().BeGreaterThan(0.05, "nothing below the threshold is ever called a regression");
    }

    [Test]
    public void The_samples_a_smaller_regression_needs_follow_from_what_a_run_could_see()
    {
        // Log-normal noise of 10 % (a netperf sample here), drawn afresh: 12 vs 12 and 48 vs 48 from the same spread.
        // Four times the samples halve the shift's error, so what a 12 vs 12 run says it would need to see what 48 vs 48
        // sees is about four times its samples: the mean over 20 seeds, since each draw's interval has its own luck.
        static double[] Draw(Random rng, int n) => new LogNormalDistribution(0, 0.1).Random(rng).Next(n);
        var factors = Enumerable.Range(1, 20).Select(seed =>
        {
            var rng = new Random(seed);
            var few = new Comparison("cpu", Worse.Higher, Draw(rng, 12), Draw(rng, 12)).Judge(0.05, 0.01);
            var many = new Comparison("cpu", Worse.Higher, Draw(rng, 48), Draw(rng, 48)).Judge(0.05, 0.01);
            few.SamplesFor(few.Detectable).Should().BeApproximately(1, 1e-9);
            few.SamplesFor(0.05).Should().Be(double.PositiveInfinity, "the threshold itself is never called, however many the samples");
            return few.SamplesFor(many.Detectable);
        }).ToList();
        factors.Average().Should().BeInRange(3, 5.5, $"each seed: {string.Join(", ", factors.Select(f => f.ToString("0.0")))}");
    }

    [Test]
    public void Samples_for_a_target_weigh_the_margin_above_the_threshold_on_a_log_scale()
    {
        // A run that could see 25 % with a 5 % threshold: to see 15 % the margin has to shrink from ln(1.25/1.05) to
        // ln(1.15/1.05), not from 25 to 15; a fall of a ratio is weighed on its own log scale.
        ShiftVerdict.SamplesFor(Worse.Higher, 0.05, 0.25, 0.15).Should().BeApproximately(Math.Pow(Math.Log(1.25 / 1.05) / Math.Log(1.15 / 1.05), 2), 1e-12);
        ShiftVerdict.SamplesFor(Worse.Lower, 0.05, 0.25, 0.15).Should().BeApproximately(Math.Pow(Math.Log(0.95 / 0.75) / Math.Log(0.95 / 0.85), 2), 1e-12);
        ShiftVerdict.SamplesFor(Worse.Higher, 0.104, 0.25, 0.15).Should().BeGreaterThan(ShiftVerdict.SamplesFor(Worse.Higher, 0.05, 0.25, 0.15),
            "a higher threshold leaves less room above it");
    }

    [Test]
    public void The_interval_is_the_order_statistics_lehmann_gives()
    {
        // Brute force: every pairwise log ratio, sorted; for 8 vs 8 at 95 % the Mann-Whitney critical value is 13
        // (P(U <= 13) = 0.0249), so the interval runs from the 14th to the 51st of the 64 differences.
        var reference = Around(1, Noise[..8]);
        var measured = Around(0.9, OtherNoise[..8]);
        var diffs = measured.SelectMany(m => reference.Select(r => Math.Log(m) - Math.Log(r))).Order().ToArray();
        var v = new Comparison("ratio", Worse.Lower, reference, measured).Judge(0.05, 0.05);
        v.WorseningHigh.Should().BeApproximately(1 - Math.Exp(diffs[13]), 1e-9);
        v.WorseningLow.Should().BeApproximately(1 - Math.Exp(diffs[50]), 1e-9);
        var median = (diffs[31] + diffs[32]) / 2;
        v.Worsening.Should().BeApproximately(1 - Math.Exp(median), 1e-9);
    }

    [Test]
    public void A_cost_may_be_judged_past_doubling_but_no_fall_of_100_percent_or_more()
    {
        // A recording that drifted 120 % between its visits: a cost 3.5 times higher still stands out; a ratio that fell
        // cannot fall further than 100 %, so nothing is left to detect and the judge says so instead of testing.
        new Comparison("cpu", Worse.Higher, Around(0.5, Noise), Around(0.5 * 3.5, OtherNoise)).Judge(1.2, 0.01).Regressed.Should().BeTrue();
        new Comparison("cpu", Worse.Higher, Around(0.5, Noise), Around(0.5 * 2.0, OtherNoise)).Judge(1.2, 0.01).Regressed.Should().BeFalse();
        var ratio = new Comparison("ratio", Worse.Lower, Around(0.22, Noise), Around(0.02, OtherNoise));
        ratio.CannotJudge(1.2).Should().Contain("leaves nothing to detect");
        ratio.CannotJudge(0.99).Should().BeNull();
        FluentActions.Invoking(() => ratio.Judge(1.0, 0.01)).Should().Throw<ArgumentOutOfRangeException>();
        new Comparison("cpu", Worse.Higher, [1, 1, 1, 1], [1, 1, 1, 1]).CannotJudge(-0.1).Should().NotBeNull();
    }

    [Test]
    public void Too_few_or_impossible_samples_are_refused_with_a_reason()
    {
        new Comparison("ratio", Worse.Lower, [1, 1, 1], [1, 1, 1, 1]).Problem.Should().Contain("at least 4");
        new Comparison("cpu", Worse.Higher, [1, 1, 1, 1], [1, 0, 1, 1]).Problem.Should().Contain("zero");
        FluentActions.Invoking(() => new Comparison("cpu", Worse.Higher, [1, 1, 1], [1, 1, 1]).Judge(0.05, 0.01))
            .Should().Throw<InvalidOperationException>();
    }
}
