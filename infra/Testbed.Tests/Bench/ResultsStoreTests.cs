using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Tests.Support;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class ResultsStoreTests
{
    [Test]
    public void Records_are_appended_one_a_line_and_read_back_whole()
    {
        using var dir = new TempDir();
        var store = new ResultsStore(dir.Path);
        var ok = Ok(Cell("esp-aes128-sha1"), 180.5, 6.2);
        store.Append(ok);
        store.Append(Failed(Cell("esp-3des"), "netperf failed"));
        store.Append(Session());
        File.ReadAllLines(store.CellsFile).Should().HaveCount(2);
        var back = store.Records();
        back[0].Cell.Should().Be(ok.Cell);
        back[0].Run.Should().Be(ok.Run);
        back[0].Result!.Netperf.Should().Be(ok.Result!.Netperf);
        back[0].Result!.Cpu.Should().BeEquivalentTo(ok.Result.Cpu);
        back[1].Ok.Should().BeFalse();
        back[1].Error.Should().Be("netperf failed");
        store.Sessions().Single().Environment.Gateways.Single().CpuModel.Should().Be("UML");
    }

    [Test]
    public void A_rerun_skips_only_cells_finished_with_the_same_parameters_on_the_same_stack()
    {
        var a = Cell("esp-aes128");
        var b = Cell("ah-md5");
        var c = Cell("plain");
        var d = Cell("esp-3des");
        var records = new[]
        {
            Ok(a, 100),
            Ok(b, 100, run: Run with { Seconds = 10 }),
            Ok(c, 100, stack: "other"),
            Failed(d, "host gone"),
        };
        var finished = ResultsStore.Finished(records, Run, "test");
        finished.Keys.Should().BeEquivalentTo([a], "a changed run length, another stack or a failure does not count as finished");
    }

    [Test]
    public void The_newest_record_of_a_cell_wins()
    {
        var a = Cell("esp-aes128");
        var finished = ResultsStore.Finished([Ok(a, 100), Failed(a, "later failure"), Ok(a, 120)], Run, "test");
        finished[a].Result!.Netperf.Mbps.Should().Be(120);
    }

    [Test]
    public void A_line_torn_by_a_crash_is_skipped_and_the_next_record_starts_on_its_own_line()
    {
        using var dir = new TempDir();
        var store = new ResultsStore(dir.Path);
        store.Append(Ok(Cell("plain"), 1500));
        File.AppendAllText(store.CellsFile, "{\"cell\":{\"protection\":\"esp-3d");
        store.Append(Ok(Cell("ah-md5"), 400));
        var back = store.Records();
        back.Select(r => r.Cell.Protection).Should().Equal("plain", "ah-md5");
        store.Unreadable.Should().Be(1);
    }
}
