using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;

namespace Testbed.Tests.Bench;

public class MatrixTests
{
    [TestCase("quick")]
    [TestCase("full")]
    public void A_built_in_matrix_loads_and_every_figure_has_an_experiment(string name)
    {
        var m = BenchMatrix.Load(name);
        m.Name.Should().Be(name);
        m.Experiments.Select(e => e.Figure).Should().Contain([Figure.Throughput, Figure.Mtu, Figure.Ablation, Figure.Modes]);
        m.Experiments.Single(e => e.Figure == Figure.Ablation).Steps.Should().Equal("stock", "tcp", "coalescing", "jumbo");
    }

    [Test]
    public void The_full_matrix_is_the_papers()
    {
        var m = BenchMatrix.Load("full");
        (m.Seconds, m.Iterations, m.Confidence).Should().Be((10, new IterationSpec(12, 4), new ConfidenceSpec(95, 3)));
        var tp = m.Experiments.Single(e => e.Figure == Figure.Throughput);
        tp.Cases.Should().HaveCount(18).And.Contain(["plain", "ah-md5", "ah-sha1", "esp-3des-sha1", "esp-aes256-md5"]);
        tp.MessageSizes.Should().Equal(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        tp.Links.Should().Equal("10mbit", "100mbit", "1000mbit", "unshaped");
        var mtu = m.Experiments.Single(e => e.Figure == Figure.Mtu);
        mtu.MaxMtu.Should().BeTrue();
        mtu.Mtus.Should().Contain([1500, 2000, 9000, 16000]);
    }

    [Test]
    public void Every_problem_of_a_matrix_is_reported_at_once_naming_the_source()
    {
        const string text = """
            { "name": "bad", "description": "x", "seconds": 2, "iterations": { "max": 3, "min": 2 }, "confidence": { "level": 95, "width": 10 },
              "experiments": [ { "name": "e", "figure": "throughput", "cases": ["esp-nonsense", "plain"], "messageSizes": [1024],
                                 "links": ["2mbit"], "modes": ["tunnel"], "mtus": [100], "tunings": ["warp"] } ] }
            """;
        var act = () => BenchMatrix.Parse(text, "my.json");
        act.Should().Throw<InvalidDataException>()
            .Which.Message.Should().StartWith("my.json:")
            .And.Contain("esp-nonsense").And.Contain("2mbit").And.Contain("MTU 100").And.Contain("warp").And.Contain("-i 3,2");
    }

    [Test]
    public void An_unknown_key_or_a_missing_one_is_refused()
    {
        var unknown = () => BenchMatrix.Parse("""{ "name": "x", "description": "", "seconds": 2, "iterations": { "max": 3, "min": 3 }, "confidence": { "level": 95, "width": 10 }, "experiments": [], "sizes": [1] }""", "f");
        unknown.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("sizes");
        var missing = () => BenchMatrix.Parse("""{ "name": "x", "description": "", "iterations": { "max": 3, "min": 3 }, "confidence": { "level": 95, "width": 10 }, "experiments": [] }""", "f");
        missing.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("seconds");
    }

    [Test]
    public void An_ablation_needs_its_steps_from_one_mtu()
    {
        var e = BenchFakes.Ablation(["esp-aes128"]) with { Mtus = [1500, 9000], Steps = ["stock", "turbo"] };
        e.Problems().Should().Contain(p => p.Contains("one MTU")).And.Contain(p => p.Contains("'turbo'"));
        (BenchFakes.Modes(["ah-md5"]) with { Modes = ["tunnel"] }).Problems().Should().Contain(p => p.Contains("both tunnel and transport"));
    }

    [Test]
    public void A_matrix_that_is_neither_built_in_nor_a_file_is_named()
    {
        var act = () => BenchMatrix.Load("/nonexistent/matrix.json");
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("quick, full");
    }
}
