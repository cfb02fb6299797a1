using System.Globalization;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Tests.Support;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class BenchFilesTests
{
    static BenchData Sample() => Data(Matrix(Throughput(["plain", "esp-aes128-sha1", "esp-3des"], [1024])),
    [
        Ok(Cell("plain", 1024), 1234.5678, 3.3),
        Ok(Cell("esp-aes128-sha1", 1024), 180.25, 12),
        Failed(Cell("esp-3des", 1024), "netperf failed: \"connection refused\", retry"),
    ]);

    [Test]
    public void The_csv_reads_back_to_the_same_values_one_row_per_planned_cell()
    {
        var data = Sample();
        var rows = CsvText.Read(BenchFiles.Csv(data));
        rows.Should().HaveCount(3);
        rows[0].Keys.Should().Equal(BenchFiles.Columns);
        var esp = rows.Single(r => r["protection"] == "esp-aes128-sha1");
        double.Parse(esp["throughput_mbps"], CultureInfo.InvariantCulture).Should().Be(180.25);
        double.Parse(esp["ratio_to_plain"], CultureInfo.InvariantCulture).Should().BeApproximately(180.25 / 1234.5678, 1e-6);
        esp["label"].Should().Be("ESP 128bit AES-160bit SHA1");
        esp["host_kind"].Should().Be("local");
        esp["machine_cpu_model"].Should().Be("AMD EPYC");
        var failed = rows.Single(r => r["protection"] == "esp-3des");
        failed["status"].Should().Be("failed");
        failed["error"].Should().Be("netperf failed: \"connection refused\", retry", "quotes and commas survive");
        failed["throughput_mbps"].Should().BeEmpty();
    }

    [Test]
    public void The_json_holds_the_environment_and_every_cell_and_reads_back()
    {
        using var dir = new TempDir();
        var (json, csv) = BenchFiles.Write(dir.Path, Sample());
        File.Exists(csv).Should().BeTrue();
        var back = BenchFiles.ReadJson(json);
        back.Stack.Should().Be("test");
        back.CellsPlanned.Should().Be(3);
        back.CellsMeasured.Should().Be(2);
        back.Sessions.Single().Environment.MachineKernel.Should().Be("6.18.44");
        back.Cells.Single(c => c.Cell.Protection == "esp-aes128-sha1").Result!.Netperf.Mbps.Should().Be(180.25);
        back.Cells.Single(c => c.Cell.Protection == "esp-3des").Status.Should().Be("failed");
        back.MatrixDefinition.Experiments.Single().Cases.Should().Contain("esp-3des");
    }
}
