using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

/// <summary>Every kind has one name (the state file's word for it), one teardown rank and one way to be rebuilt.</summary>
public class ResourceKindTests
{
    public static IEnumerable<ResourceKind> Kinds() => Enum.GetValues<ResourceKind>();

    /// <summary>The names the state files on disk already hold: changing one would orphan their records.</summary>
    static readonly Dictionary<ResourceKind, string> Written = new()
    {
        [ResourceKind.Package] = "package", [ResourceKind.Sysctl] = "sysctl",
        [ResourceKind.EthtoolCoalesce] = "ethtool-coalesce", [ResourceKind.EthtoolOffload] = "ethtool-offload",
        [ResourceKind.Mtu] = "mtu", [ResourceKind.Link] = "link", [ResourceKind.Addr] = "addr", [ResourceKind.Route] = "route",
        [ResourceKind.Qdisc] = "qdisc", [ResourceKind.XfrmState] = "xfrm-state", [ResourceKind.XfrmPolicy] = "xfrm-policy",
        [ResourceKind.Charon] = "charon", [ResourceKind.SwanctlConn] = "swanctl-conn", [ResourceKind.ChildSa] = "child-sa",
    };

    [TestCaseSource(nameof(Kinds))]
    public void Every_kind_has_a_name_a_rank_and_a_rehydration(ResourceKind kind)
    {
        FluentActions.Invoking(() => kind.Name).Should().NotThrow("ResourceKindInfo needs a row for every kind");
        kind.Name.Should().MatchRegex("^[a-z]+(-[a-z]+)*$", "iproute2 and sysctl words");
        ResourceKindInfo.Parse(kind.Name).Should().Be(kind);
        kind.TeardownRank.Should().BeGreaterThanOrEqualTo(0);

        // An empty identity reaches the kind's own arm, which names the key it lacks; no arm would say it cannot rebuild.
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", kind, new Dictionary<string, string>()))
            .Should().Throw<InvalidDataException>().WithMessage($"*gw-a/{kind.Name} lacks '*");
        var sample = ResourceKinds.All().Single(s => s.Kind == kind);
        ResourceCatalog.Rehydrate("gw-a", kind, sample.Declared.Identity).Kind.Should().Be(kind);
    }

    [Test]
    public void Kind_names_are_the_ones_state_files_hold_and_all_differ()
    {
        ResourceKindInfo.All.ToDictionary(k => k, k => k.Name).Should().Equal(Written);
        ResourceKindInfo.All.Select(k => k.Name).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Teardown_takes_negotiated_SAs_policies_states_the_IKE_connection_and_daemon_routes_addresses_links_shapers_then_the_rest()
    {
        var ordered = new[]
        {
            ResourceKind.ChildSa, ResourceKind.XfrmPolicy, ResourceKind.XfrmState, ResourceKind.SwanctlConn, ResourceKind.Charon,
            ResourceKind.Route, ResourceKind.Addr, ResourceKind.Link, ResourceKind.Qdisc,
        };
        ordered.Select(k => k.TeardownRank).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        foreach (var rest in ResourceKindInfo.All.Except(ordered))
            rest.TeardownRank.Should().BeGreaterThan(ResourceKind.Qdisc.TeardownRank, rest.Name)
                .And.Be(ResourceKind.Sysctl.TeardownRank, "settings that stand alone keep the order they were recorded in");
    }

    [Test]
    public void Parse_of_a_name_no_kind_has_is_null()
    {
        ResourceKindInfo.Parse("iptables").Should().BeNull();
        ResourceKindInfo.Parse("XfrmState").Should().BeNull("the state file holds the tool's word, not the enum's");
        ResourceKindInfo.Parse("").Should().BeNull();
    }
}
