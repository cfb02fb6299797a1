using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class MatrixCellsTests
{
    [Test]
    public void Cells_shared_by_experiments_are_measured_once_and_remember_who_asked()
    {
        var m = Matrix(Throughput(["plain", "esp-aes128"], [1024, 16384]), Ablation(["esp-aes128"]), MtuSweep(["esp-aes128"], [1500, 9000]));
        var plan = MatrixCells.Expand(m, 65500, 1500);
        plan.Select(c => c.Key).Should().OnlyHaveUniqueItems();
        // The ablation's stock cell is the throughput experiment's; its jumbo step is the MTU sweep's 9000 cell.
        plan.Single(c => c.Key == Cell("esp-aes128")).Experiments.Should().BeEquivalentTo("throughput", "ablation");
        plan.Single(c => c.Key == Cell("esp-aes128", mtu: 9000, tuning: "tuned")).Experiments.Should().BeEquivalentTo("ablation", "mtu");
        plan.Single(c => c.Key == Cell("esp-aes128", tuning: "tuned")).Experiments.Should().BeEquivalentTo("ablation", "mtu");
    }

    [Test]
    public void Every_ipsec_cell_gets_plain_ip_in_its_group_and_size()
    {
        var m = Matrix(Ablation(["esp-aes128", "ah-md5"]), Modes(["ah-md5"]));
        var plan = MatrixCells.Expand(m, 65500, 1500);
        foreach (var c in plan.Where(c => !c.Key.IsPlain))
            plan.Should().Contain(p => p.Key == c.Key.PlainReference, $"{c.Key} needs its same-run reference");
        plan.Where(c => c.Key.IsPlain).Should().OnlyContain(c => c.Experiments.SequenceEqual(new[] { "plain reference" }));
    }

    [Test]
    public void The_order_changes_mtu_least_often_starting_at_the_running_one_then_tuning_link_mode_suite_size()
    {
        var m = Matrix(Throughput(["plain", "esp-3des", "ah-md5"], [4096, 256], ["unshaped", "10mbit"]), MtuSweep(["plain", "esp-3des"], [9000, 1500], max: true),
            Ablation(["esp-3des"]), Modes(["esp-3des"]));
        var plan = MatrixCells.Expand(m, 20000, 9000).Select(c => c.Key).ToList();
        plan[0].Mtu.Should().Be(9000, "the hosts run 9000 already");
        var mtuRuns = plan.Zip(plan.Skip(1)).Count(p => p.First.Mtu != p.Second.Mtu);
        mtuRuns.Should().Be(plan.Select(c => c.Mtu).Distinct().Count() - 1, "each MTU once");
        plan.Select(c => c.Mtu).Distinct().Should().Equal(9000, 1500, 20000);
        for (var i = 1; i < plan.Count; i++)
        {
            var (a, b) = (plan[i - 1], plan[i]);
            if (a.Mtu != b.Mtu) continue;
            TuningLevels.All.ToList().IndexOf(a.Tuning).Should().BeLessThanOrEqualTo(TuningLevels.All.ToList().IndexOf(b.Tuning));
            if (a.Tuning != b.Tuning) continue;
            MatrixCells.LinkRank(a.Link).Should().BeLessThanOrEqualTo(MatrixCells.LinkRank(b.Link));
            if (a.Link != b.Link || a.Mode != b.Mode) continue;
            if (a.Protection == b.Protection) a.MessageSize.Should().BeLessThan(b.MessageSize);
            else b.IsPlain.Should().BeFalse("plain IP comes first in its group");
        }
        // Each suite's sizes in one stretch per group: the SAs are replaced once per suite and group.
        var stretches = plan.Zip(plan.Skip(1)).Count(p => (p.First.Group, p.First.Protection) != (p.Second.Group, p.Second.Protection)) + 1;
        stretches.Should().Be(plan.Select(c => (c.Group, c.Protection)).Distinct().Count());
    }

    [Test]
    public void The_largest_mtu_the_hosts_take_stands_for_max_and_caps_the_sweep()
    {
        var m = Matrix(MtuSweep(["plain"], [1500, 9000, 16000], max: true));
        MatrixCells.Expand(m, 9216, 1500).Select(c => c.Key.Mtu).Should().Equal(1500, 9000, 9216);
        MatrixCells.Expand(m, 65500, 1500).Select(c => c.Key.Mtu).Should().Equal(1500, 9000, 16000, 65500);
    }

    [Test]
    public void The_quick_matrix_stays_small_enough_for_fifteen_minutes()
    {
        var plan = MatrixCells.Expand(BenchMatrix.Load("quick"), 65500, 1500);
        var m = BenchMatrix.Load("quick");
        var estimate = Estimator.Estimate(plan.Select(c => c.Key).ToList(), m.Run, Testbed.Local.LocalTestbed.MeasuredOverheads, null, endMtu: 1500);
        estimate.High.Should().BeLessThan(TimeSpan.FromMinutes(12), "the quick run must finish in under 15 minutes with room for a loaded machine");
        plan.Select(c => c.Key.Mtu).Distinct().Should().HaveCount(3);
    }
}
