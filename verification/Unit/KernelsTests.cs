using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Verification.Unit;

public class KernelsTests
{
    static Kernels On(string? machine, string gwA = "6.1.176", string gwB = "6.1.176") =>
        new(machine, [new HostKernel("gw-a", gwA), new HostKernel("gw-b", gwB)]);

    static ReferenceDeclaration Reference() => new("unshaped", 1500, "tuned", [], [], []);

    static BaselineEntry Entry(string protection)
    {
        var m = MetricBaseline.Of([[0.5, 0.55], [0.45, 0.5]])!;
        return new BaselineEntry(protection, "tunnel", 16384, 1500, "quick", m, m, m, CpuSources.HostUmlProcesses, 2, DateTimeOffset.UnixEpoch);
    }

    [Test]
    public void A_run_on_the_recorded_kernels_says_nothing()
    {
        On("6.18.44-fc-v1272").ChangeFrom([On("6.18.44-fc-v1147"), On("6.18.44-fc-v1272")]).Should().BeNull("one session ran on these");
        On("6.18.44-fc-v1272").ChangeFrom(null).Should().BeNull("a baseline that does not say cannot be told apart");
        On(null).ChangeFrom([On(null)]).Should().BeNull();
    }

    [Test]
    public void A_run_on_other_kernels_names_each_difference_against_the_newest_recording()
    {
        var change = On("6.18.44-fc-v1300", gwB: "6.1.180").ChangeFrom([On("6.18.44-fc-v1147"), On("6.18.44-fc-v1272")]);
        change.Should().Contain("this machine runs Linux 6.18.44-fc-v1300 (recorded: 6.18.44-fc-v1272)")
            .And.Contain("gw-b runs Linux 6.1.180 (recorded: 6.1.176)").And.NotContain("gw-a").And.Contain("record the baseline afresh");
        On(null, gwA: "6.1.180").ChangeFrom([On(null)]).Should().Contain("gw-a runs Linux 6.1.180", "lab gateways are judged by their own kernels");
    }

    [Test]
    public void A_baseline_keeps_the_kernels_of_every_recording_whose_entries_it_holds()
    {
        var first = new BaselineFile(BaselineFile.CurrentVersion, "local", "morning", Reference(), [])
            .Merge([Entry("esp-aes128-sha1"), Entry("plain")], "morning", Reference(), kernels: On("v1"));
        first.Kernels.Should().BeEquivalentTo([On("v1")]);

        var session = first.Merge([Entry("esp-aes128-sha1")], "evening", Reference(), addSession: true, kernels: On("v2"));
        session.Kernels.Should().HaveCount(2, "a session joins its samples to the morning's");
        session.Merge([Entry("esp-aes128-sha1")], "night", Reference(), addSession: true, kernels: On("v2")).Kernels
            .Should().HaveCount(2, "kernels already there are not listed twice");

        first.Merge([Entry("esp-aes128-sha1")], "evening", Reference(), kernels: On("v2")).Kernels
            .Should().HaveCount(2, "plain IP's entry from the morning is kept");
        first.Merge([Entry("esp-aes128-sha1"), Entry("plain")], "evening", Reference(), kernels: On("v2")).Kernels
            .Should().BeEquivalentTo([On("v2")], "every entry was replaced");

        var legacy = first with { Kernels = null };
        legacy.Merge([Entry("esp-aes128-sha1")], "evening", Reference(), addSession: true, kernels: On("v2")).Kernels
            .Should().BeNull("entries kept from a file that did not say where it was recorded leave it unable to say");
    }
}
