using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;

namespace Testbed.Tests.Engine;

public class PlanTests
{
    static readonly Sysctl Sack = new() { Host = "gw-a", Key = "net.ipv4.tcp_sack", Value = "1" };
    static readonly Sysctl Other = new() { Host = "gw-b", Key = "net.ipv4.tcp_sack", Value = "1" };

    static Step S(Change c, Resource? r = null) => new(r ?? Sack, c, Reading.Of(Fields.Scalar("0")), null);

    [Test]
    public void Summary_counts_each_kind_of_change_in_a_fixed_order()
    {
        var plan = new Plan([S(Change.None), S(Change.Skip), S(Change.Delete), S(Change.Create), S(Change.Create),
            S(Change.Replace), S(Change.Update), S(Change.None)], []);
        plan.Summary.Should().Be("2 to create, 1 to update, 1 to replace, 1 to delete, 2 unchanged, 1 skipped");
    }

    [Test]
    public void Summary_leaves_out_what_does_not_occur()
    {
        new Plan([S(Change.None), S(Change.None)], []).Summary.Should().Be("2 unchanged");
        new Plan([], []).Summary.Should().Be("");
    }

    [TestCase(Change.Create, true)]
    [TestCase(Change.Update, true)]
    [TestCase(Change.Replace, true)]
    [TestCase(Change.Delete, true)]
    [TestCase(Change.None, false)]
    [TestCase(Change.Skip, false)]
    public void What_counts_as_a_change(Change change, bool changes)
    {
        S(change).ChangesSomething.Should().Be(changes);
        new Plan([S(Change.None), S(change)], []).HasChanges.Should().Be(changes);
    }

    [Test]
    public void ForHost_keeps_the_hosts_steps_in_order()
    {
        var plan = new Plan([S(Change.Create), S(Change.Update, Other), S(Change.None)], []);
        plan.ForHost("gw-a").Select(s => s.Change).Should().Equal(Change.Create, Change.None);
        plan.ForHost("gw-b").Should().ContainSingle();
    }

    [Test]
    public void Skip_detail_is_its_note_or_the_live_value()
    {
        new Step(Sack, Change.Skip, Reading.Of(Fields.Scalar("0")), null, "skipped: why").Detail.Should().Be("skipped: why");
        new Step(Sack, Change.None, Reading.Of(Fields.Scalar("1")), null).Detail.Should().Be("1");
        new Step(Sack, Change.Skip, Reading.Of(Fields.Scalar("0")), null).Target.Should().Be(Fields.Scalar("0"));
    }
}
