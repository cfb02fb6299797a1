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
    public void A_later_session_joins_the_samples_and_its_drift_covers_the_hours_between_sessions()
    {
        // Morning and evening each steady within themselves, 20 % apart: only the two together show what a run on
        // another day has to tolerate.
        var morning = MetricBaseline.Of([[1.0, 1.02, 0.98], [1.01, 0.99, 1.0]])!;
        var evening = MetricBaseline.Of([[1.2, 1.22, 1.18], [1.21, 1.19, 1.2]])!;
        (morning.Drift, evening.Drift).Should().Be((0.0, 0.0), "each session's two visits agree within 1 %");
        var both = morning.Add(evening, visits: 2, laterVisits: 2);
        both.Samples.Should().HaveCount(12);
        both.VisitCenters.Should().HaveCount(4);
        both.Drift.Should().BeApproximately(0.10, 0.01, "the visits lie 10 % either side of their median");
        both.Center.Should().BeApproximately(1.1, 0.02);
        morning.Add(evening, 2, 2).Add(MetricBaseline.Of([[1.1, 1.1]])!, 4, 1).VisitCenters.Should().HaveCount(5);

        // A file written before sessions kept no visit centres: its samples are taken as equal runs in recorded order.
        (morning with { VisitCenters = null }).Add(evening with { VisitCenters = null }, 2, 2).Drift.Should().Be(both.Drift);
    }

    [Test]
    public void Suites_judged_together_keep_the_drift_they_share_and_average_out_their_own()
    {
        var up = MetricBaseline.Of([[1.0, 1.0], [1.2, 1.2]])!;
        var down = MetricBaseline.Of([[1.2, 1.2], [1.0, 1.0]])!;
        up.Drift.Should().BeApproximately(0.095, 0.01);
        MetricBaseline.PooledDrift([(up, 2), (up, 2)]).Should().BeApproximately(up.Drift, 0.001, "a drift both suites shared is the machine's");
        MetricBaseline.PooledDrift([(up, 2), (down, 2)]).Should().BeApproximately(0, 0.001, "opposite noise of two suites cancels in their pool");
        MetricBaseline.PooledDrift([(up, 2), (MetricBaseline.Of([[1.0], [1.0], [1.0]])!, 3)]).Should()
            .BeApproximately(0.046, 0.01, "half the suites drifting 20 % moves the pool 10 %, compared over the blocks all have");
    }

    [Test]
    public void A_recording_added_as_a_session_joins_its_entries_and_another_declaration_is_refused()
    {
        var old = new BaselineFile(BaselineFile.CurrentVersion, "local", "morning", Reference(), [Entry(cpu: 0.5), Entry("plain", 0.07)]);
        var merged = old.Merge([Entry(cpu: 0.6)], "evening", Reference(), addSession: true);
        merged.RecordedOn.Should().Be("morning; then evening");
        var esp = merged.Entries.Single(e => e.Protection == Cases.Esp);
        (esp.Sessions, esp.Visits, esp.CpuPerMbit.Samples.Count).Should().Be((2, 4, 8));
        esp.CpuPerMbit.Drift.Should().BeGreaterThan(0.08, "the sessions lie 20 % apart, more than either's own visits");
        merged.Entries.Single(e => e.Protection == "plain").Sessions.Should().Be(1, "plain IP was not recorded again");
        old.Merge([Entry(cpu: 0.6)], "evening", Reference()).Entries.Single(e => e.Protection == Cases.Esp).Sessions
            .Should().Be(1, "without adding, a recording replaces the entries it measured");

        FluentActions.Invoking(() => old.Merge([Entry(cpu: 0.6)], "evening", Reference(mtu: 9000), addSession: true))
            .Should().Throw<InvalidOperationException>().WithMessage("*another declaration*mtu 1500 → 9000*afresh*");
        old.SessionRefusal(Reference()).Should().BeNull();
    }

    [Test]
    public void A_baseline_written_before_sessions_reads_as_one_session()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tb-sessions-{Guid.NewGuid():N}.json");
        var entry = Entry() with { CpuPerMbit = Entry().CpuPerMbit with { VisitCenters = null } };
        var text = DataJson.Write(new BaselineFile(BaselineFile.CurrentVersion, "local", "x", Reference(), [entry]));
        File.WriteAllText(file, System.Text.RegularExpressions.Regex.Replace(text, ",\\s*\"sessions\": 1", ""));
        try
        {
            File.ReadAllText(file).Should().NotContain("sessions");
            var read = BaselineFile.Read(file)!.Entries.Single();
            read.Sessions.Should().Be(1);
            read.CpuPerMbit.VisitCenters.Should().BeNull();
        }
        finally
        {
            File.Delete(file);
        }
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
