using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Measurement;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class FindingsTests
{
    static Claim ClaimOf(FindingsData f, string start) => f.Claims.Single(c => c.Statement.StartsWith(start, StringComparison.Ordinal));

    static FindingsData Throughputs(double ci, params (string Case, double Mbps)[] cells)
    {
        var m = Matrix(Throughput(cells.Select(c => c.Case).ToArray(), [16384]));
        return Findings.Compute(Data(m, cells.Select(c => Ok(Cell(c.Case), c.Mbps, ci))));
    }

    [Test]
    public void Overlapping_intervals_are_neither_above_nor_below()
    {
        Findings.Compare(new Estimate(100, 0.02), new Estimate(90, 0.02)).Should().Be(Relation.Above);
        Findings.Compare(new Estimate(90, 0.02), new Estimate(100, 0.02)).Should().Be(Relation.Below);
        Findings.Compare(new Estimate(100, 0.06), new Estimate(90, 0.06)).Should().Be(Relation.Overlap, "94 .. 106 meets 84.6 .. 95.4");
        Findings.Compare(new Estimate(100, null), new Estimate(99, null)).Should().Be(Relation.Above, "without an interval the values decide");
    }

    [Test]
    public void Three_des_slowest_holds_when_it_is_clearly_below_every_other_cipher()
    {
        var f = Throughputs(2, ("plain", 1500), ("esp-des", 120), ("esp-3des", 60), ("esp-aes128", 200), ("esp-des-sha1", 110), ("esp-3des-sha1", 55));
        var claim = ClaimOf(f, "3DES");
        claim.Verdict.Should().Be(Verdict.Holds);
        claim.Evidence.Should().HaveCount(2, "3DES alone against DES and AES, 3DES-SHA1 against DES-SHA1");
    }

    [Test]
    public void Three_des_slowest_does_not_hold_when_another_cipher_is_clearly_slower_and_is_within_noise_when_wide()
    {
        ClaimOf(Throughputs(2, ("esp-des", 50), ("esp-3des", 60)), "3DES").Verdict.Should().Be(Verdict.DoesNotHold);
        ClaimOf(Throughputs(40, ("esp-des", 70), ("esp-3des", 60)), "3DES").Verdict.Should().Be(Verdict.WithinNoise);
        ClaimOf(Throughputs(2, ("plain", 900), ("ah-md5", 400)), "3DES").Verdict.Should().Be(Verdict.NotMeasured);
    }

    [Test]
    public void Esp_with_authentication_is_compared_with_the_same_cipher_alone()
    {
        var f = Throughputs(2, ("esp-aes128", 200), ("esp-aes128-sha1", 150), ("esp-aes128-md5", 201), ("esp-des-md5", 10));
        var claim = ClaimOf(f, "ESP with authentication");
        claim.Evidence.Should().HaveCount(2, "esp-des-md5 has no esp-des to compare with");
        claim.Evidence.Single(e => e.What.StartsWith("esp-aes128-sha1", StringComparison.Ordinal)).Outcome.Should().Be(Verdict.Holds);
        claim.Evidence.Single(e => e.What.StartsWith("esp-aes128-md5", StringComparison.Ordinal)).Outcome.Should().Be(Verdict.WithinNoise);
        claim.Verdict.Should().Be(Verdict.Holds);
        ClaimOf(Throughputs(2, ("esp-aes128", 200), ("esp-aes128-sha1", 150), ("esp-3des", 50), ("esp-3des-md5", 80)), "ESP with authentication")
            .Verdict.Should().Be(Verdict.Mixed);
    }

    [Test]
    public void Ranking_orders_suites_and_ratios_come_from_plain_ip_of_the_same_group()
    {
        var f = Throughputs(2, ("plain", 1000), ("ah-md5", 500), ("esp-3des", 100), ("esp-aes128", 250));
        f.Ranking.Select(r => r.Protection).Should().Equal("plain", "ah-md5", "esp-aes128", "esp-3des");
        f.Ranking.Single(r => r.Protection == "esp-3des").Ratio!.Value.Should().BeApproximately(0.1, 1e-9);
        f.Ranking.Single(r => r.Protection == "esp-3des").Ratio!.RelativeHalfWidth.Should().BeApproximately(Math.Sqrt(2) * 0.01, 1e-9);
        f.Ranking.Single(r => r.Protection == "plain").Ratio.Should().BeNull();
        f.RankingCondition.Should().Contain("16384 B").And.Contain("unshaped");
    }

    [Test]
    public void Each_tuning_step_is_compared_with_the_one_before_and_tuned_against_stock_for_esp()
    {
        var m = Matrix(Ablation(["esp-aes128-sha1", "ah-md5"]));
        var records = new[]
        {
            Ok(Cell("esp-aes128-sha1"), 100), Ok(Cell("esp-aes128-sha1", tuning: "tcp"), 150),
            Ok(Cell("esp-aes128-sha1", tuning: "tuned"), 152), Ok(Cell("esp-aes128-sha1", tuning: "tuned", mtu: 9000), 300),
            Ok(Cell("ah-md5"), 400), Ok(Cell("ah-md5", tuning: "tuned"), 300),
        };
        var f = Findings.Compute(Data(m, records));
        var esp = f.Gains.Single(g => g.Protection == "esp-aes128-sha1");
        esp.Steps[0]!.GainPct.Should().BeNull("stock is where the steps start");
        esp.Steps.Skip(1).Select(s => s!.GainPct!.Value).Should().Equal([50.0, 152.0 / 150 * 100 - 100, 300.0 / 152 * 100 - 100],
            (a, b) => Math.Abs(a - b) < 1e-9);
        esp.Steps[2]!.VersusPrevious.Should().Be(Relation.Overlap);
        f.Gains.Single(g => g.Protection == "ah-md5").Steps[1].Should().BeNull("the +TCP step of AH was not measured");
        var tuned = ClaimOf(f, "tuned");
        tuned.Evidence.Should().ContainSingle("AH is not ESP").Which.Outcome.Should().Be(Verdict.Holds);
        var mtu = ClaimOf(f, "larger MTU");
        mtu.Verdict.Should().Be(Verdict.Holds);
    }

    [Test]
    public void A_larger_mtu_that_loses_throughput_contradicts_the_paper()
    {
        var m = Matrix(MtuSweep(["plain", "ah-md5"], [1500, 9000], max: true));
        var records = new[]
        {
            Ok(Cell("plain", mtu: 1500, tuning: "tuned"), 1500), Ok(Cell("plain", mtu: 9000, tuning: "tuned"), 1600),
            Ok(Cell("ah-md5", mtu: 1500, tuning: "tuned"), 400), Ok(Cell("ah-md5", mtu: 9000, tuning: "tuned"), 600),
            Ok(Cell("ah-md5", mtu: 65500, tuning: "tuned"), 300),
        };
        var f = Findings.Compute(Data(m, records));
        var claim = ClaimOf(f, "larger MTU");
        claim.Evidence.Should().HaveCount(2, "plain IP is not judged, AH at 9000 and at 65500 are");
        claim.Verdict.Should().Be(Verdict.Mixed);
        f.Mtus.Single(r => r.Protection == "ah-md5").Points.Select(p => p.Mtu).Should().Equal(1500, 9000, 65500);
    }

    [Test]
    public void Tunnel_and_transport_within_a_few_per_cent_or_within_noise_or_apart()
    {
        FindingsData ModesOf(double tunnel, double transport, double ci)
        {
            var m = Matrix(Modes(["esp-aes128"]));
            return Findings.Compute(Data(m, [Ok(Cell("esp-aes128", tuning: "tuned"), tunnel, ci), Ok(Cell("esp-aes128", tuning: "tuned", mode: "transport"), transport, ci)]));
        }
        ClaimOf(ModesOf(100, 97, 2), "tunnel").Verdict.Should().Be(Verdict.Holds);
        ClaimOf(ModesOf(100, 80, 2), "tunnel").Verdict.Should().Be(Verdict.DoesNotHold);
        ClaimOf(ModesOf(100, 80, 40), "tunnel").Verdict.Should().Be(Verdict.WithinNoise);
        ModesOf(100, 80, 2).Modes.Single().DifferencePct.Should().BeApproximately(25, 1e-9);
    }

    [Test]
    public void Without_measurements_every_claim_is_not_measured()
    {
        var f = Findings.Compute(Data(BenchMatrix.Load("quick"), []));
        f.Claims.Should().HaveCount(5).And.OnlyContain(c => c.Verdict == Verdict.NotMeasured);
        f.Ranking.Should().BeEmpty();
    }
}
