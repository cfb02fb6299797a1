using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Tests.Support;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class BaselineRecorderTests
{
    static readonly BaselineRecorder.ProfileCases Quick = new("quick", ["plain", "esp-aes128-sha1"], [1024, 16384], 4, new IterationSpec(3, 3), new ConfidenceSpec(95, 10));

    static BenchData Measured() => Data(Matrix(new Experiment("modes", Figure.Modes, ["plain", "esp-aes128-sha1"], [1024, 16384], ["unshaped"],
            ["tunnel", "transport"], [1500], Tunings: ["tuned", "stock"])),
        [
            Ok(Cell("plain", 1024, tuning: "tuned"), 140), Ok(Cell("plain", 16384, tuning: "tuned"), 1600),
            Ok(Cell("esp-aes128-sha1", 1024, tuning: "tuned"), 70), Ok(Cell("esp-aes128-sha1", 16384, tuning: "tuned"), 200),
            Ok(Cell("esp-aes128-sha1", 16384, tuning: "stock"), 150), Ok(Cell("esp-aes128-sha1", 16384, tuning: "tuned", mode: "transport"), 210),
        ]);

    [Test]
    public void The_cells_of_the_stack_as_declared_become_entries_keyed_as_verification_keys_them()
    {
        var stack = Specs.Testbed(mode: IpsecMode.Tunnel, link: Link.Unshaped, kernel: Tuning.Tuned, nic: Tuning.TunedNic, mtu: 1500);
        var s = BaselineRecorder.Select(Measured(), stack, Quick);
        s.Entries.Should().HaveCount(4, "the profile's 2 cases x 2 sizes in the stack's mode (tunnel), tuned, MTU 1500");
        var e = s.Entries.Single(x => x.Protection == "esp-aes128-sha1" && x.MessageSize == 16384);
        (e.Mode, e.Mtu, e.Profile, e.ThroughputMbps).Should().Be(("tunnel", 1500, "quick", 200.0));
        e.RatioToPlain.Should().BeApproximately(0.125, 1e-9);
        e.CpuSource.Should().Be(CpuSources.HostUmlProcesses);
        s.Entries.Single(x => x.Protection == "plain" && x.MessageSize == 1024).RatioToPlain.Should().BeNull();
        s.Missing.Should().BeEmpty();
        s.Notes.Should().ContainSingle().Which.Should().Contain("-i 3,3").And.Contain("4 s");
    }

    [Test]
    public void A_stack_whose_cells_the_bench_lacks_is_told_what_is_missing()
    {
        var stack = Specs.Testbed(mtu: 9000, kernel: Tuning.Tuned, nic: Tuning.TunedNic);
        var s = BaselineRecorder.Select(Measured(), stack, Quick);
        s.Entries.Should().BeEmpty();
        s.Missing.Should().HaveCount(4).And.OnlyContain(m => m.Contains("mtu 9000"));
        var custom = Specs.Testbed(kernel: new KernelTuning("custom", [new("net.ipv4.tcp_rmem", "4096 4096 4096")]));
        BaselineRecorder.Select(Measured(), custom, Quick).Notes.Single().Should().Contain("none of the bench's tuning levels");
    }

    [Test]
    public void Recording_merges_into_the_stacks_baseline_file_and_keeps_other_entries()
    {
        using var dir = new TempDir();
        var file = BaselineFile.PathFor(dir.Path, "test");
        var other = new BaselineEntry("plain", "tunnel", 64, 1500, "full", 10, 0.1, null, null, 1, CpuSources.HostUmlProcesses, DateTimeOffset.UnixEpoch);
        new BaselineFile("test", "before", [other]).Write(file);
        var stack = Specs.Testbed(kernel: Tuning.Tuned, nic: Tuning.TunedNic);
        var (written, count) = BaselineRecorder.Write(dir.Path, Measured(), BaselineRecorder.Select(Measured(), stack, Quick));
        written.Should().Be(file);
        count.Should().Be(4);
        var back = BaselineFile.Read(file)!;
        back.Entries.Should().HaveCount(5).And.Contain(other);
        back.Find(new CaseKey("esp-aes128-sha1", "tunnel", 1024, 1500, "quick"))!.ThroughputMbps.Should().Be(70);
        back.RecordedOn.Should().Contain("bench matrix test");
    }

    [Test]
    public void The_repositorys_verification_profiles_are_read_for_their_cases()
    {
        var root = Testbed.Config.Project.Find(AppContext.BaseDirectory).Root;
        var quick = BaselineRecorder.LoadProfile(root, "quick");
        quick.Cases.Should().Contain("plain");
        quick.MessageSizes.Should().NotBeEmpty();
        BaselineRecorder.LoadProfile(root, "full").Modes.Should().Equal("transport", "tunnel");
    }
}
