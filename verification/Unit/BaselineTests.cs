using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Verification.Unit;

public class BaselineTests
{
    static ReferenceDeclaration Reference(int mtu = 1500, string wmem = "87380 4194304 4194304") =>
        new("unshaped", mtu, "tuned", [new("net.ipv4.tcp_wmem", wmem)], [new("tx-usecs", 64)], []);

    static BaselineEntry Entry(string protection = Cases.Esp, double cpu = 0.5)
    {
        var m = MetricBaseline.Of([[cpu, cpu * 1.1], [cpu * 0.9, cpu]])!;
        return new BaselineEntry(protection, "tunnel", 16384, 1500, "quick", m, protection == "plain" ? null : m, m, CpuSources.HostUmlProcesses, 2,
            DateTimeOffset.UnixEpoch);
    }

    [Test]
    public void A_metric_keeps_its_samples_centre_and_the_drift_between_visits()
    {
        var m = MetricBaseline.Of([[1.0, 1.02, 0.98], [1.2, 1.22, 1.18]])!;
        m.Samples.Should().HaveCount(6);
        m.Center.Should().BeApproximately(1.1, 0.01);
        m.Drift.Should().BeApproximately(0.10, 0.01, "each visit's centre lies about 10 % from their median");
        MetricBaseline.Of([[1.0, 1.02, 0.98]])!.Drift.Should().Be(0, "one visit shows no drift");
        MetricBaseline.Of([[]]).Should().BeNull();
    }

    [Test]
    public void Entries_are_found_by_protection_mode_size_mtu_and_profile()
    {
        var file = new BaselineFile(BaselineFile.CurrentVersion, "local", "here", Reference(), [Entry(), Entry("plain", 0.07)]);
        var key = new CaseKey(Cases.Esp, "tunnel", 16384, 1500, "quick");
        file.Find(key)!.CpuPerMbit.Center.Should().BeApproximately(0.5, 0.03);
        file.Find(key with { Mtu = 9000 }).Should().BeNull();
        file.Find(key with { Profile = "full" }).Should().BeNull();
    }

    [Test]
    public void A_recording_under_the_same_declaration_replaces_what_it_measured_and_keeps_the_rest()
    {
        var old = new BaselineFile(BaselineFile.CurrentVersion, "local", "before", Reference(), [Entry(cpu: 0.5), Entry("plain", 0.07)]);
        var merged = old.Merge([Entry(cpu: 0.61)], "now", Reference());
        merged.RecordedOn.Should().Be("now");
        merged.Entries.Should().HaveCount(2);
        merged.Entries[0].Protection.Should().Be("plain", "plain IP sorts first");
        merged.Entries[1].CpuPerMbit.Center.Should().BeApproximately(0.61, 0.04);

        var other = old.Merge([Entry(cpu: 0.61)], "now", Reference(mtu: 9000));
        other.Entries.Should().ContainSingle("entries of another declaration are not this reference's");
        other.Reference!.Mtu.Should().Be(9000);
    }

    [Test]
    public void Declarations_name_each_setting_that_differs()
    {
        Reference().Differences(Reference()).Should().BeEmpty();
        Reference().Differences(Reference(mtu: 1300, wmem: "4096 16384 65536")).Should()
            .Equal("mtu 1500 → 1300", "sysctl net.ipv4.tcp_wmem 87380 4194304 4194304 → 4096 16384 65536");
    }

    [Test]
    public void A_baseline_of_the_older_kind_is_refused_with_what_to_do()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tb-old-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "stack": "local", "recordedOn": "x", "entries": [] }""");
        try
        {
            FluentActions.Invoking(() => BaselineFile.Read(file)).Should().Throw<InvalidDataException>().WithMessage("*older kind*TESTBED_RECORD_BASELINE*");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void The_committed_local_baseline_covers_the_quick_profile_and_records_its_declaration()
    {
        var file = BaselineFile.Load("local");
        file.Should().NotBeNull("verification/baselines/local.json is the baseline the CI run compares with");
        file!.Reference.Should().NotBeNull("a baseline records the declaration it was recorded with: the reference");
        var quick = Profile.Load("quick");
        foreach (var protection in quick.Cases)
            foreach (var size in quick.MessageSizes)
            {
                var e = file.Find(new CaseKey(protection, "tunnel", size, file.Reference!.Mtu, "quick"));
                e.Should().NotBeNull($"{protection} at {size} B must have a baseline");
                e!.CpuPerMbit.Samples.Should().HaveCountGreaterThanOrEqualTo(quick.Sampling.PerCase);
            }
    }
}
