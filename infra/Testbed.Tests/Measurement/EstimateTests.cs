using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Testbed.Tests.Measurement;

public class EstimateTests
{
    [Test]
    public void A_ratio_combines_relative_half_widths_in_quadrature()
    {
        var r = Estimate.Ratio(new Estimate(300, 0.03), new Estimate(1500, 0.04));
        r.Value.Should().BeApproximately(0.2, 1e-12);
        r.RelativeHalfWidth.Should().BeApproximately(0.05, 1e-12);
        r.Interval.Low.Should().BeApproximately(0.19, 1e-12);
        r.Interval.High.Should().BeApproximately(0.21, 1e-12);
    }

    [Test]
    public void An_unknown_width_makes_the_ratio_width_unknown()
    {
        Estimate.Ratio(new Estimate(300, null), new Estimate(1500, 0.04)).RelativeHalfWidth.Should().BeNull();
        Estimate.Ratio(new Estimate(300, 0.1), new Estimate(0, 0.04)).Value.Should().Be(double.NaN);
        new Estimate(2, 0.05).ToString().Should().Be("2 ±5%");
    }
}
