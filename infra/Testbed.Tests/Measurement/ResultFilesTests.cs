using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Testbed.Tests.Measurement;

public class ResultFilesTests
{
    static RunResults Sample()
    {
        var info = new RunInfo("local", "local", "quick", "local", DateTimeOffset.Parse("2026-11-26T00:00:00Z"), "vm", "6.18", 2, "10.0", "0.1.0",
            [new GatewayVersions("gw-a", "gw-a", "6.1.176", "x86_64", "Netperf version 2.7.0", "ip utility, iproute2-6.1.0", 1)]);
        var netperf = new NetperfResult(252.2, 38.6, 95, 3, 4.04, 16384, 4194304, 4194304, 1386, 127401984, 127401984, 0);
        var cpu = new List<GatewayCpu>
        {
            new("gw-a", "sender", new CpuUse(CpuSources.GuestProcStat, 12.5, 91, new CpuShares(90, 0, 1, 0, 0.5, 0, 0, 8.5)), new CpuUse(CpuSources.HostUmlProcesses, 12.6, 64, null)),
            new("gw-b", "receiver", new CpuUse(CpuSources.GuestProcStat, 12.9, 83, new CpuShares(80, 0, 2, 0, 1, 0, 0, 17)), new CpuUse(CpuSources.HostUmlProcesses, 12.6, 57, null)),
        };
        var sas = new List<SaDelta> { new("gw-a", "esp spi 0x00001001 192.0.2.1>192.0.2.2", "192.0.2.1", "192.0.2.2", "esp", 0x1001, 396_000_000, 280_000, 0, 0) };
        var c = new CaseResult(new CaseKey("esp-aes128-sha1", "tunnel", 16384, 1500, "quick"), "ESP 128bit AES-160bit SHA1", info.Started, 13.9,
            "netperf -P 0 …", netperf, cpu, CpuSources.HostUmlProcesses, 0.4784, sas, new Estimate(0.59, 0.2));
        return new RunResults(info, [c]);
    }

    [Test]
    public void Json_keeps_every_field_and_reads_back()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tb-results-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (json, csv) = ResultFiles.Write(dir, Sample());
            var back = ResultFiles.Read(json);
            back.Run.Should().BeEquivalentTo(Sample().Run);
            back.Cases.Single().Should().BeEquivalentTo(Sample().Cases.Single());
            File.ReadAllText(json).Should().Contain("\"cpuSource\": \"host: UML guest processes\"");
            File.Exists(csv).Should().BeTrue();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Test]
    public void Csv_has_one_row_per_case_with_labelled_cpu_columns()
    {
        var lines = ResultFiles.Csv(Sample()).TrimEnd().Split('\n');
        lines.Should().HaveCount(2);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        header.Should().Contain(["sender_core_pct_procstat", "sender_core_pct_host_side", "cpu_source", "ratio_to_plain", "throughput_ci_pct"]);
        string Col(string name) => row[Array.IndexOf(header, name)];
        (Col("throughput_mbps"), Col("throughput_ci_pct"), Col("ratio_to_plain"), Col("ratio_ci_pct")).Should().Be(("252.2", "38.6", "0.59", "40"));
        (Col("sender_core_pct_host_side"), Col("receiver_softirq_pct_procstat"), Col("sa_bytes_sender"), Col("sa_bytes_receiver"))
            .Should().Be(("64", "1", "396000000", "0"));
        Col("cpu_source").Should().Be("host: UML guest processes");
        row.Should().HaveSameCount(header, "the label with spaces needs no quoting, and nothing shifts");
    }
}
