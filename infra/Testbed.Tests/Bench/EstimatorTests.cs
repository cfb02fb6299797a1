using Testbed.Providers;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class EstimatorTests
{
    static readonly CellOverheads O = new(PerCell: 1, PerIteration: 0.5, SuiteChange: 3, GroupChange: 5, MtuChange: 20, BringUp: 30);

    [Test]
    public void Each_cell_costs_its_iterations_and_each_change_its_provisioning()
    {
        var run = new RunParameters(10, 12, 4, 95, 3);
        List<CellKey> cells = [Cell("plain", 1024), Cell("plain", 16384), Cell("ah-md5", 1024), Cell("ah-md5", 1024, tuning: "tcp"), Cell("ah-md5", 1024, mtu: 9000, tuning: "tcp")];
        var e = Estimator.Estimate(cells, run, O, startMtu: 1500);
        // First cell: group + suite; then: nothing, suite, group + suite, MTU + group + suite; 5 cells of fixed cost.
        const double fixedCost = (5 + 3) + 0 + 3 + (5 + 3) + (20 + 5 + 3) + 5 * 1;
        e.Low.TotalSeconds.Should().BeApproximately(fixedCost + 5 * 4 * 10.5, 1e-6);
        e.High.TotalSeconds.Should().BeApproximately(fixedCost + 5 * 12 * 10.5, 1e-6);
        e.Expected.Should().Be(e.High, "on the local testbed netperf's interval stays wide, so every cell runs all iterations");
        Estimator.Estimate(cells, run, O, startMtu: 1500, expectedIterations: 6).Expected.TotalSeconds.Should().BeApproximately(fixedCost + 5 * 6 * 10.5, 1e-6);
    }

    [Test]
    public void Bringing_the_hosts_up_and_putting_them_back_at_another_mtu_are_counted()
    {
        var run = new RunParameters(2, 3, 3, 95, 10);
        List<CellKey> cells = [Cell("plain", mtu: 9000)];
        var running = Estimator.Estimate(cells, run, O, startMtu: 9000).Expected;
        Estimator.Estimate(cells, run, O, startMtu: null).Expected.Should().Be(running + TimeSpan.FromSeconds(O.BringUp));
        Estimator.Estimate(cells, run, O, startMtu: 1500).Expected.Should().Be(running + TimeSpan.FromSeconds(O.MtuChange));
        Estimator.Estimate(cells, run, O, startMtu: 9000, endMtu: 1500).Expected
            .Should().Be(running + TimeSpan.FromSeconds(O.MtuChange + O.GroupChange + O.SuiteChange));
        Estimator.Estimate([], run, O, null).Expected.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public void The_time_left_follows_the_measured_pace_more_as_cells_finish()
    {
        var rest = TimeSpan.FromMinutes(10);
        var slow = (model: TimeSpan.FromMinutes(1), actual: TimeSpan.FromMinutes(2));
        var early = Estimator.Remaining(rest, slow.model, slow.actual, 1);
        var late = Estimator.Remaining(rest, slow.model, slow.actual, 50);
        early.Should().BeGreaterThan(rest).And.BeLessThan(late);
        late.Should().BeCloseTo(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1.5));
        Estimator.Remaining(rest, TimeSpan.Zero, TimeSpan.FromSeconds(5), 3).Should().Be(rest);
    }

    [Test]
    public void Durations_read_as_hours_minutes_or_seconds()
    {
        Duration.Format(TimeSpan.FromMinutes(125)).Should().Be("2 h 5 min");
        Duration.Format(TimeSpan.FromSeconds(612)).Should().Be("10 min 12 s");
        Duration.Format(TimeSpan.FromSeconds(42.4)).Should().Be("42 s");
        new Duration(TimeSpan.FromHours(30), TimeSpan.FromHours(10), TimeSpan.FromHours(30)).ToString().Should().Be("about 30 h 0 min (between 10 h 0 min and 30 h 0 min)");
    }
}
