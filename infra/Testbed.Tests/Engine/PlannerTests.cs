using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Engine;

/// <summary>Planner.Plan is pure: desired resources, the state's records and live readings in, steps out.</summary>
public class PlannerTests
{
    static readonly Sysctl Sack = new() { Host = "gw-a", Key = "net.ipv4.tcp_sack", Value = "1" };
    static readonly NicCoalesce TxProfile = new() { Host = "gw-a", Dev = "vec0", Param = "tx-usecs", Value = 64, FromTuning = true };
    static readonly NicCoalesce TxExplicit = TxProfile with { FromTuning = false };
    static readonly XfrmState Sa = XfrmState.For("gw-a", SecurityDatabases.For(Specs.Testbed(), new FakeKeyring()).Sas[0]);

    static ResourceRecord Record(Resource r, Fields? original, Fields? applied, Fields? settled = null) => new()
    {
        Urn = r.Urn, Host = r.Host, Kind = r.Kind, Identity = new Dictionary<string, string>(r.Identity),
        Original = original, Applied = applied, Settled = settled, Status = RecordStatus.Applied,
    };

    static StackState State(params ResourceRecord[] records) => new() { Project = "ipsec-testbed", Stack = "test", Resources = [.. records] };

    static Plan Plan(IReadOnlyList<Resource> desired, StackState state, params (Resource R, Reading Reading)[] readings) =>
        Planner.Plan(desired, state, readings.ToDictionary(x => x.R.Urn, x => x.Reading));

    static Step Only(Plan plan) => plan.Steps.Should().ContainSingle().Subject;

    [Test]
    public void Live_equal_to_desired_is_no_change()
    {
        var plan = Plan([Sack], State(), (Sack, Reading.Of(Fields.Scalar("1"))));
        Only(plan).Change.Should().Be(Change.None);
        plan.Errors.Should().BeEmpty();
        plan.HasChanges.Should().BeFalse();
    }

    [Test]
    public void Absent_live_value_is_a_create()
    {
        var netperf = new Package { Host = "gw-a", PackageName = "netperf", Command = "netperf" };
        var step = Only(Plan([netperf], State(), (netperf, Reading.Absent)));
        step.Change.Should().Be(Change.Create);
        step.Target.Should().Be(Fields.Scalar("installed"));
        step.Detail.Should().Be("installed");
    }

    [Test]
    public void Different_live_value_is_an_update_showing_the_difference()
    {
        var step = Only(Plan([Sack], State(), (Sack, Reading.Of(Fields.Scalar("0")))));
        step.Change.Should().Be(Change.Update);
        step.Detail.Should().Be("0 → 1");
        step.ChangesSomething.Should().BeTrue();
    }

    [Test]
    public void A_changed_sa_is_replaced()
    {
        var live = Sa.Desired.Items.Select(i => i.Key == "reqid" ? KeyValuePair.Create("reqid", "9") : i);
        var step = Only(Plan([Sa], State(Record(Sa, null, Sa.Desired)), (Sa, Reading.Of(new Fields(live)))));
        step.Change.Should().Be(Change.Replace);
        step.Detail.Should().Be("reqid: 9 → 1");
    }

    [Test]
    public void An_sa_we_created_that_vanished_is_created_again()
    {
        var step = Only(Plan([Sa], State(Record(Sa, null, Sa.Desired)), (Sa, Reading.Absent)));
        step.Change.Should().Be(Change.Create);
    }

    static readonly ChildSa Child = new()
    {
        Host = "gw-a", Local = "192.0.2.1", Remote = "192.0.2.2", Protection = Specs.P("esp-aes128-sha1"), Mode = IpsecMode.Tunnel,
        ConnUrns = ["gw-a/swanctl-conn/testbed", "gw-b/swanctl-conn/testbed"],
    };

    [Test]
    public void A_manual_policy_in_place_of_a_live_ike_child_that_goes_is_created_after_it_is_closed_not_a_conflict()
    {
        // Keying changed from ikev2 to manual: the daemons' policy still reads live where the manual one goes.
        var policy = new XfrmPolicy { Host = "gw-b", Src = "10.2.0.0/24", Dst = "10.1.0.0/24", Dir = "out" };
        var daemons = Fields.Of(("tmpl", "esp tunnel 192.0.2.2>192.0.2.1 reqid 1"));
        var plan = Plan([policy], State(Record(Child, null, Child.Desired)), (policy, Reading.Of(daemons)), (Child, Reading.Of(Child.Desired)));

        plan.Errors.Should().BeEmpty();
        plan.Steps.Select(s => (s.Id.Kind, s.Change)).Should().Equal((ResourceKind.ChildSa, Change.Delete), (ResourceKind.XfrmPolicy, Change.Create));
        Plan([policy], State(), (policy, Reading.Of(daemons))).Errors.Should().ContainSingle("without an IKE child going, the policy is someone else's");
        Plan([policy], State(Record(Child, null, Child.Desired)), (policy, Reading.Of(daemons)), (Child, Reading.Absent))
            .Errors.Should().ContainSingle("a child that is gone already took no policy with it: the live one is someone else's");
    }

    [Test]
    public void A_changed_ike_connection_has_the_child_negotiated_again_though_it_reads_as_declared()
    {
        var conn = new SwanctlConn { Host = "gw-b", Text = "connections {}\n", DaemonUrn = "gw-b/charon/charon-systemd" };
        var stale = Fields.Of(("file", "sha256:0123456789abcdef"), ("loaded", "yes"));
        conn.Urn.Should().Be(Child.ConnUrns[1]);
        var plan = Plan([conn, Child], State(Record(conn, null, stale), Record(Child, null, Child.Desired)), (conn, Reading.Of(stale)), (Child, Reading.Of(Child.Desired)));
        plan.Steps.Single(s => s.Id.Kind == ResourceKind.SwanctlConn).Change.Should().Be(Change.Update);
        plan.Steps.Single(s => s.Id.Kind == ResourceKind.ChildSa).Change.Should().Be(Change.Replace, "a new IKE proposal or key takes effect only in a new negotiation");
        Plan([conn, Child], State(), (conn, Reading.Of(conn.Desired)), (Child, Reading.Of(Child.Desired))).HasChanges.Should().BeFalse();
    }

    [Test]
    public void An_exclusive_setting_found_live_without_a_record_is_a_conflict()
    {
        var other = new Fields(Sa.Desired.Items.Select(i => i.Key == "reqid" ? KeyValuePair.Create("reqid", "9") : i));
        var plan = Plan([Sa], State(), (Sa, Reading.Of(other)));
        var step = Only(plan);
        step.Change.Should().Be(Change.Skip);
        step.Note.Should().Be("conflict");
        plan.Errors.Should().ContainSingle().Which.Should().Be(
            $"gw-a: xfrm-state {Sa.Name} exists already and was not created by this stack; remove it, or change the stack so that it does not collide");
    }

    [Test]
    public void A_shared_setting_found_live_without_a_record_is_simply_updated()
    {
        var plan = Plan([Sack], State(), (Sack, Reading.Of(Fields.Scalar("0"))));
        Only(plan).Change.Should().Be(Change.Update);
        plan.Errors.Should().BeEmpty();
    }

    [Test]
    public void An_unsupported_best_effort_setting_is_skipped_without_error()
    {
        var plan = Plan([TxProfile], State(), (TxProfile, Reading.NotSupported("vec0 has no tx-usecs (n/a)")));
        var step = Only(plan);
        step.Change.Should().Be(Change.Skip);
        step.Note.Should().Be("skipped: vec0 has no tx-usecs (n/a)");
        step.ChangesSomething.Should().BeFalse();
        plan.Errors.Should().BeEmpty();
    }

    [Test]
    public void An_unsupported_explicit_setting_is_an_error_naming_host_kind_and_name()
    {
        var plan = Plan([TxExplicit], State(), (TxExplicit, Reading.NotSupported("vec0 has no tx-usecs (n/a)")));
        Only(plan).Change.Should().Be(Change.Skip);
        plan.Errors.Should().Equal("gw-a: ethtool-coalesce vec0 tx-usecs: vec0 has no tx-usecs (n/a)");
    }

    [Test]
    public void A_value_the_driver_settled_on_after_our_apply_is_no_change()
    {
        var state = State(Record(TxExplicit, Fields.Scalar("10000"), TxExplicit.Desired, settled: Fields.Scalar("60")));
        var step = Only(Plan([TxExplicit], state, (TxExplicit, Reading.Of(Fields.Scalar("60")))));
        step.Change.Should().Be(Change.None);
        step.Note.Should().Contain("the driver's rounding of 64");
    }

    [Test]
    public void A_settled_value_that_drifted_is_updated()
    {
        var state = State(Record(TxExplicit, Fields.Scalar("10000"), TxExplicit.Desired, settled: Fields.Scalar("60")));
        Only(Plan([TxExplicit], state, (TxExplicit, Reading.Of(Fields.Scalar("70"))))).Change.Should().Be(Change.Update);
    }

    [Test]
    public void A_settled_value_for_an_older_desired_value_does_not_count()
    {
        // Applied 32 and the driver settled on 60; the stack now wants 64, so 60 is not good enough.
        var state = State(Record(TxExplicit, Fields.Scalar("10000"), Fields.Scalar("32"), settled: Fields.Scalar("60")));
        Only(Plan([TxExplicit], state, (TxExplicit, Reading.Of(Fields.Scalar("60"))))).Change.Should().Be(Change.Update);
    }

    [Test]
    public void A_host_that_could_not_be_read_gets_a_create_with_a_note()
    {
        var step = Only(Planner.Plan([Sack], State(), new Dictionary<string, Reading>()));
        step.Change.Should().Be(Change.Create);
        step.Live.Should().BeNull();
        step.Note.Should().Be("host not running yet");
        step.Detail.Should().Be("1 (host not running yet)");
    }

    [Test]
    public void A_record_the_stack_no_longer_declares_is_deleted_back_to_the_original()
    {
        var rmem = new Sysctl { Host = "gw-a", Key = "net.ipv4.tcp_rmem", Value = "87380 4194304 4194304" };
        var state = State(Record(rmem, Fields.Scalar("4096 131072 6291456"), rmem.Desired));
        var step = Only(Plan([], state, (rmem, Reading.Of(rmem.Desired))));
        step.Change.Should().Be(Change.Delete);
        step.Note.Should().BeNull();
        step.Declared.Should().BeNull("the stack no longer declares it: only its identity is known");
        step.Id.Should().Be(rmem.Id);
        step.Target.Should().Be(Fields.Scalar("4096 131072 6291456"));
        step.Detail.Should().Be("87380 4194304 4194304 → 4096 131072 6291456");
        step.Id.Restore(step.Record!.Original).Script.Should().Be("sysctl -qw 'net.ipv4.tcp_rmem=4096 131072 6291456'");
    }

    [Test]
    public void A_feature_the_driver_holds_fixed_is_judged_by_the_planner_against_the_declaration()
    {
        var rxOff = new NicOffload { Host = "gw-a", Dev = "vec0", Feature = "rx", On = false };
        var rxOn = rxOff with { On = true };
        var live = rxOff.Id.Parse(Fixture.Read("captured/gw-a.ethtool-k-vec0.txt"));
        live.Should().Be(new Reading(Fields.Scalar("on"), Fixed: "vec0 rx-checksumming is fixed on"), "the identity reads what is there, fixed or not");

        var plan = Plan([rxOff], State(), (rxOff, live));
        Only(plan).Change.Should().Be(Change.Skip);
        Only(plan).Live!.Unsupported.Should().Be("vec0 rx-checksumming is fixed on");
        plan.Errors.Should().Equal("gw-a: ethtool-offload vec0 rx: vec0 rx-checksumming is fixed on");

        var same = Plan([rxOn], State(), (rxOn, live));
        Only(same).Change.Should().Be(Change.None);
        same.Errors.Should().BeEmpty();
    }

    [Test]
    public void An_orphan_now_fixed_at_another_value_than_applied_is_left_as_it_is()
    {
        var rx = new NicOffload { Host = "gw-a", Dev = "vec0", Feature = "rx", On = false };
        var fixedOn = new Reading(Fields.Scalar("on"), Fixed: "vec0 rx-checksumming is fixed on");
        var step = Only(Plan([], State(Record(rx, Fields.Scalar("off"), Fields.Scalar("off"))), (rx, fixedOn)));
        (step.Change, step.Note).Should().Be((Change.Delete, "already as found"));
        Only(Plan([], State(Record(rx, Fields.Scalar("off"), Fields.Scalar("on"))), (rx, fixedOn))).Note
            .Should().BeNull("fixed at what the tool applied: put back what was found");
    }

    [Test]
    public void An_orphan_already_as_found_is_a_delete_with_a_note()
    {
        var state = State(Record(Sa, null, Sa.Desired));
        var step = Only(Plan([], state, (Sa, Reading.Absent)));
        step.Change.Should().Be(Change.Delete);
        step.Note.Should().Be("already as found");
    }

    [Test]
    public void An_orphan_on_a_host_not_running_is_a_delete_with_a_note()
    {
        var state = State(Record(Sa, null, Sa.Desired));
        Only(Planner.Plan([], state, new Dictionary<string, Reading>())).Note.Should().Be("host not running");
    }

    [Test]
    public void Deletes_come_first_policies_before_states_before_routes_before_addresses_before_links()
    {
        var link = new DummyLink { Host = "gw-a", Dev = "site0" };
        var addr = new Address { Host = "gw-a", Dev = "site0", Cidr = "10.1.0.1/24" };
        var route = new Route { Host = "gw-a", To = "10.2.0.0/24", Via = "192.0.2.2", Src = "10.1.0.1" };
        var policy = new XfrmPolicy { Host = "gw-a", Src = "10.1.0.0/24", Dst = "10.2.0.0/24", Dir = "out" };
        var shaper = new Shaper { Host = "wire", Dev = "veth-a", RateMbit = 10, Mtu = 1500 };
        // Recorded in the worst order: the order they were created in.
        var state = State(Record(shaper, Fields.Of(("qdisc", "noqueue")), shaper.Desired), Record(link, null, link.Desired),
            Record(addr, null, addr.Desired), Record(route, null, route.Desired), Record(Sa, null, Sa.Desired), Record(policy, null, Fields.Of()));
        var readings = new (Resource, Reading)[] { (link, Reading.Of(link.Desired)), (addr, Reading.Of(addr.Desired)), (route, Reading.Of(route.Desired)),
            (Sa, Reading.Of(Sa.Desired)), (policy, Reading.Of(Fields.Of())), (shaper, Reading.Of(shaper.Desired)), (Sack, Reading.Of(Fields.Scalar("0"))) };

        var plan = Plan([Sack], state, readings);

        plan.Steps.Select(s => (s.Id.Kind.Name, s.Change)).Should().Equal(
            ("xfrm-policy", Change.Delete), ("xfrm-state", Change.Delete), ("route", Change.Delete),
            ("addr", Change.Delete), ("link", Change.Delete), ("qdisc", Change.Delete), ("sysctl", Change.Update));
    }

    [Test]
    public void Declared_steps_follow_dependencies_not_declaration_order()
    {
        var link = new DummyLink { Host = "gw-a", Dev = "site0" };
        var addr = new Address { Host = "gw-a", Dev = "site0", Cidr = "10.1.0.1/24", After = [link.Urn] };
        var plan = Planner.Plan([addr, link], State(), new Dictionary<string, Reading>());
        plan.Steps.Select(s => s.Declared).Should().Equal(link, addr);
    }

    [Test]
    public void Topological_order_keeps_declaration_order_where_it_can_and_refuses_cycles()
    {
        var a = new Route { Host = "h", To = "a", Via = "v", Src = "s" };
        var b = new Route { Host = "h", To = "b", Via = "v", Src = "s", After = ["h/route/c"] };
        var c = new Route { Host = "h", To = "c", Via = "v", Src = "s" };
        Planner.TopologicalOrder([a, b, c]).Should().Equal(a, c, b);
        Planner.TopologicalOrder([a, b with { After = ["h/route/elsewhere"] }]).Should().HaveCount(2, "a dependency outside the set is not waited for");

        var x = new Route { Host = "h", To = "x", Via = "v", Src = "s", After = ["h/route/y"] };
        var y = new Route { Host = "h", To = "y", Via = "v", Src = "s", After = ["h/route/x"] };
        FluentActions.Invoking(() => Planner.TopologicalOrder([x, y])).Should().Throw<InvalidOperationException>().WithMessage("dependency cycle at *");
    }
}
