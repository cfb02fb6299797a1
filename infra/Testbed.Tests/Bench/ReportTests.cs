using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Tests.Support;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class ReportTests
{
    /// <summary>Every cell of the quick matrix, with throughputs shaped like the paper's (synthetic, deterministic).</summary>
    static BenchData QuickData()
    {
        var m = BenchMatrix.Load("quick");
        var plan = MatrixCells.Expand(m, 65500, 1500);
        double Mbps(CellKey k)
        {
            var cost = k.Protection switch { "plain" => 1.0, "ah-md5" => 0.5, "esp-aes128" => 0.25, "esp-aes128-sha1" => 0.2, _ => 0.08 };
            var link = Testbed.Model.Link.Parse(k.Link)!.RateMbit ?? 2000;
            return Math.Min(link * 0.95, 1600 * cost * Math.Log2(k.MessageSize) / 14 * (k.Tuning == "stock" ? 1 : 1.1) * (1 + k.Mtu / 20000.0));
        }
        return Data(m, plan.Select(c => Ok(c.Key, Mbps(c.Key), 5)).Append(Failed(plan[^1].Key with { MessageSize = 77 }, "not in the plan")));
    }

    [Test]
    public void The_report_has_a_png_and_an_svg_per_chart_and_embeds_each_with_the_findings()
    {
        using var dir = new TempDir();
        var report = ReportBuilder.Build(dir.Path, QuickData(), hostSideCpu: true);
        report.Charts.Select(c => c.Name).Should().Contain(["fig1-4-throughput-100mbit", "fig1-4-throughput-unshaped", "fig5-cpu-procstat", "fig5-cpu-host",
            "fig6-mtu", "ablation", "modes"]);
        var md = File.ReadAllText(report.Markdown);
        foreach (var c in report.Charts)
        {
            var png = File.ReadAllBytes(Path.Combine(report.Folder, c.Png));
            png.Take(4).Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G']);
            png.Length.Should().BeGreaterThan(10_000, $"{c.Png} has lines, bars and text");
            File.ReadAllText(Path.Combine(report.Folder, c.Svg)).Should().Contain("<svg");
            md.Should().Contain($"]({c.Png})").And.Contain($"]({c.Svg})");
        }
        md.Should().Contain("| 3DES is the slowest cipher |").And.Contain("**holds**");
        md.Should().Contain("### Suites by throughput").And.Contain("### Gain of each tuning step").And.Contain("### Tunnel against transport mode");
        md.Should().Contain("UML books nearly everything as user");
    }

    [Test]
    public void A_lab_report_has_no_host_side_chart()
    {
        using var dir = new TempDir();
        ReportBuilder.Build(dir.Path, QuickData(), hostSideCpu: false).Charts.Select(c => c.Name).Should().NotContain("fig5-cpu-host");
    }
}
