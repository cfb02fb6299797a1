using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Engine;

/// <summary>
/// An SA lives on both gateways. When one copy has to be made anew (the sender rebooted, a key drifted), the other
/// copy must be made anew too: a fresh SA counts from sequence number 1, and an old receiver copy would drop every
/// packet as a replay. Found on the local testbed: after repairing only gw-a, no ping got through.
/// </summary>
public class SaPairPlanningTests
{
    static readonly SecurityAssociation Forward = SecurityDatabases.For(Specs.Testbed(), new FakeKeyring()).Sas[0];
    static readonly XfrmState OnSender = XfrmState.For("gw-a", Forward);
    static readonly XfrmState OnReceiver = XfrmState.For("gw-b", Forward);
    static readonly Sysctl Sack = new() { Host = "gw-b", Key = "net.ipv4.tcp_sack", Value = "1" };

    static ResourceRecord Record(Resource r) => ResourceRecord.For(r.Id, null, r.Desired, RecordStatus.Applied);

    static Plan Plan(Reading sender, Reading receiver) => Planner.Plan(
        [OnSender, OnReceiver, Sack],
        new StackState { Resources = [Record(OnSender), Record(OnReceiver), Record(Sack)] },
        new Dictionary<string, Reading>
        {
            [OnSender.Urn] = sender, [OnReceiver.Urn] = receiver, [Sack.Urn] = Reading.Of(Fields.Scalar("1")),
        });

    static Change ChangeOf(Plan plan, Resource r) => plan.Steps.Single(s => s.Id.Urn == r.Urn).Change;

    [Test]
    public void A_copy_lost_on_the_sender_renews_the_receivers_copy()
    {
        var plan = Plan(Reading.Absent, Reading.Of(OnReceiver.Desired));
        ChangeOf(plan, OnSender).Should().Be(Change.Create);
        ChangeOf(plan, OnReceiver).Should().Be(Change.Replace);
        plan.Steps.Single(s => s.Declared == OnReceiver).Detail.Should().Contain("sequence numbers");
    }

    [Test]
    public void A_drifted_key_on_one_side_renews_both()
    {
        var drifted = Fields.Of(OnSender.Desired.Items.Select(i => (i.Key, i.Key == "enc" ? "cbc(aes) sha256:0000000000000000" : i.Value)).ToArray());
        var plan = Plan(Reading.Of(OnReceiver.Desired), Reading.Of(drifted));
        ChangeOf(plan, OnSender).Should().Be(Change.Replace);
        ChangeOf(plan, OnReceiver).Should().Be(Change.Replace);
    }

    [Test]
    public void Both_copies_fine_means_nothing_to_do_and_other_settings_are_never_paired()
    {
        var plan = Plan(Reading.Of(OnSender.Desired), Reading.Of(OnReceiver.Desired));
        plan.HasChanges.Should().BeFalse();
        Sack.PairKey.Should().BeNull();
        OnSender.PairKey.Should().Be(OnReceiver.PairKey);
    }
}
