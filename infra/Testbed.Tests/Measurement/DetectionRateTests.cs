using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement.Detection;

namespace Testbed.Tests.Measurement;

public class DetectionRateTests
{
    [Test]
    public void The_interval_is_the_exact_clopper_pearson_one()
    {
        // Reference values (R: binom.test(k, n)$conf.int).
        var (low, high) = new DetectionRate(9, 10).Interval();
        low.Should().BeApproximately(0.5550, 0.0005);
        high.Should().BeApproximately(0.9975, 0.0005);
        (low, high) = new DetectionRate(1, 20).Interval();
        low.Should().BeApproximately(0.00127, 0.00005);
        high.Should().BeApproximately(0.2487, 0.0005);
    }

    [Test]
    public void No_alarm_in_n_runs_still_leaves_an_upper_bound_and_every_alarm_a_lower_one()
    {
        var none = new DetectionRate(0, 10).Interval();
        none.Low.Should().Be(0);
        none.High.Should().BeApproximately(0.3085, 0.0005, "0 of 10 only says the rate is below about 31 %");
        var all = new DetectionRate(10, 10).Interval();
        all.High.Should().Be(1);
        all.Low.Should().BeApproximately(0.6915, 0.0005);
        new DetectionRate(3, 4).ToString().Should().StartWith("3/4 = 75% (");
    }

    [Test]
    public void More_alarms_than_runs_is_refused() =>
        FluentActions.Invoking(() => new DetectionRate(5, 4).Interval()).Should().Throw<ArgumentOutOfRangeException>();
}
