using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Verification.Unit;

public class BaselineTests
{
    [Test]
    public void Entries_are_found_by_protection_mode_size_mtu_and_profile()
    {
        var file = new BaselineFile("local", "here", [Cases.Baseline(), Cases.Baseline(mtu: 9000, cpuPerMbit: 0.3)]);
        file.Find(Cases.Measured().Key)!.CpuPerMbit.Should().Be(0.5);
        file.Find(Cases.Measured().Key with { Mtu = 9000 })!.CpuPerMbit.Should().Be(0.3);
        file.Find(Cases.Measured().Key with { Profile = "full" }).Should().BeNull();
        file.Find(Cases.Measured().Key with { MessageSize = 1024 }).Should().BeNull();
    }

    [Test]
    public void A_recording_replaces_what_it_measured_and_keeps_the_rest()
    {
        var old = new BaselineFile("local", "before", [Cases.Baseline(cpuPerMbit: 0.5), Cases.Baseline("plain", cpuPerMbit: 0.07)]);
        var merged = old.Merge([BaselineEntry.From([Cases.Measured(cpuPerMbit: 0.61)])], "now");
        merged.RecordedOn.Should().Be("now");
        merged.Entries.Should().HaveCount(2);
        merged.Entries[0].Protection.Should().Be("plain", "plain IP sorts first");
        merged.Entries[1].CpuPerMbit.Should().Be(0.61);
    }

    [Test]
    public void An_entry_keeps_what_a_comparison_needs()
    {
        var e = BaselineEntry.From([Cases.Measured(mbps: 300.123456, confidPct: 10, ratio: 0.2, ratioHalfWidth: 0.07)]);
        (e.ThroughputMbps, e.ThroughputHalfWidth, e.RatioToPlain, e.RatioHalfWidth).Should().Be((300.12, 0.05, 0.2, 0.07));
        e.CpuSource.Should().Be(Testbed.Measurement.CpuSources.HostUmlProcesses);
    }

    [Test]
    public void Several_passes_record_their_medians()
    {
        var e = BaselineEntry.From([
            Cases.Measured(mbps: 100, cpuPerMbit: 0.9, ratio: 0.10),
            Cases.Measured(mbps: 300, cpuPerMbit: 0.5, ratio: 0.25),
            Cases.Measured(mbps: 280, cpuPerMbit: 0.4, ratio: 0.20)]);
        (e.ThroughputMbps, e.CpuPerMbit, e.RatioToPlain).Should().Be((280, 0.5, 0.2), "the disturbed first pass does not set the baseline");
        BaselineEntry.Median([1, null, 3, 2, 4]).Should().Be(2.5);
        BaselineEntry.Median([null]).Should().BeNull();
        var mixed = () => BaselineEntry.From([Cases.Measured(), Cases.Measured("plain")]);
        mixed.Should().Throw<ArgumentException>();
    }

    [Test]
    public void The_committed_local_baseline_covers_the_quick_profile()
    {
        var file = BaselineFile.Load("local");
        file.Should().NotBeNull("verification/baselines/local.json is the baseline the CI run compares with");
        var quick = Profile.Load("quick");
        foreach (var protection in quick.Cases)
            foreach (var size in quick.MessageSizes)
                file!.Find(new Testbed.Measurement.CaseKey(protection, "tunnel", size, 1500, "quick"))
                    .Should().NotBeNull($"{protection} at {size} B must have a baseline");
    }
}
