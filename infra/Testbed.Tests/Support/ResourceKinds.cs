using Testbed.Model;
using Testbed.Resources;

namespace Testbed.Tests.Support;

/// <summary>One declared resource of a kind, a value found before the first change, and real output its read prints.</summary>
public sealed record KindSample(ResourceKind Kind, Resource Declared, Fields? Original, string Output)
{
    public override string ToString() => Kind.Name;
}

/// <summary>A sample of every resource kind, for the tests that must hold for all of them.</summary>
public static class ResourceKinds
{
    public static IEnumerable<KindSample> All()
    {
        var tunnel = SecurityDatabases.For(Specs.Testbed(IpsecMode.Tunnel, Specs.P("esp-3des-sha1")), Specs.CapturedKeys());
        var forwardSa = tunnel.Sas.Single(s => s.Flow == Flow.Forward);
        var outPolicy = tunnel.Policies.Single(p => p.Host.Name == "gw-a" && p.Policy.Dir == PolicyDir.Out).Policy;

        yield return new(ResourceKind.Sysctl, new Sysctl { Host = "gw-a", Key = "net.ipv4.tcp_rmem", Value = "87380 4194304 4194304" },
            Fields.Scalar("4096 131072 6291456"), "87380\t4194304\t4194304\n");
        yield return new(ResourceKind.EthtoolCoalesce, new NicCoalesce { Host = "gw-a", Dev = "vec0", Param = "tx-usecs", Value = 64 },
            Fields.Scalar("10000"), Fixture.Read("captured/gw-a.ethtool-c-vec0.txt"));
        yield return new(ResourceKind.EthtoolOffload, new NicOffload { Host = "gw-a", Dev = "vec0", Feature = "gso", On = false },
            Fields.Scalar("on"), Fixture.Read("captured/gw-a.ethtool-k-vec0.txt"));
        yield return new(ResourceKind.Mtu, new LinkMtu { Host = "gw-a", Dev = "vec0", Mtu = 9000 }, Fields.Scalar("1500"), "1500\n");
        yield return new(ResourceKind.Link, new DummyLink { Host = "gw-a", Dev = "site0" }, null, Fixture.Read("captured/gw-a.site0-flags.txt"));
        yield return new(ResourceKind.Addr, new Address { Host = "gw-a", Dev = "site0", Cidr = "10.1.0.1/24" }, null,
            Fixture.Read("captured/gw-a.ipv4-addr-route.txt"));
        yield return new(ResourceKind.Route, new Route { Host = "gw-a", To = "10.2.0.0/24", Via = "192.0.2.2", Src = "10.1.0.1" }, null,
            Fixture.Read("captured/gw-a.ipv4-addr-route.txt"));
        yield return new(ResourceKind.XfrmState, XfrmState.For("gw-a", forwardSa), null, Fixture.Read("captured/gw-a.xfrm-state.txt"));
        yield return new(ResourceKind.XfrmPolicy, XfrmPolicy.For("gw-a", outPolicy, []), null, Fixture.Read("captured/gw-a.xfrm-policy.txt"));
        yield return new(ResourceKind.Package, new Package { Host = "gw-a", PackageName = "netperf", Command = "netperf" }, null, "absent\n");
        yield return new(ResourceKind.Charon, new Charon { Host = "gw-a" }, Fields.Scalar("stopped"), "running\n");
        yield return new(ResourceKind.SwanctlConn, new SwanctlConn { Host = "gw-a", Text = "connections {}\n", DaemonUrn = "gw-a/charon/charon-systemd" },
            null, "file absent\nloaded no\n");
        yield return new(ResourceKind.ChildSa, new ChildSa
        {
            Host = "gw-a", Local = "192.0.2.1", Remote = "192.0.2.2", Protection = Specs.P("esp-aes128-sha1"), Mode = IpsecMode.Tunnel,
            ConnUrns = ["gw-a/swanctl-conn/testbed"],
        }, null, Fixture.Read("captured/gw-a.xfrm-state-ike.txt"));
        yield return new(ResourceKind.Qdisc, new Shaper { Host = "wire", Dev = "veth-a", RateMbit = 100, Mtu = 1500 },
            Fields.Of(("qdisc", "pfifo_fast")), Fixture.Read("captured/host-tc-tbf-100mbit.txt"));
    }

    /// <summary>Every concrete resource type the tool has; a new kind that the samples above miss fails a test.</summary>
    public static IEnumerable<Type> ConcreteTypes() => ConcreteSubtypes(typeof(Resource));

    /// <summary>Every concrete identity type the tool has; one the samples above miss fails a test too.</summary>
    public static IEnumerable<Type> ConcreteIdTypes() => ConcreteSubtypes(typeof(ResourceId));

    static IEnumerable<Type> ConcreteSubtypes(Type root) => root.Assembly.GetTypes().Where(t => t.IsSubclassOf(root) && !t.IsAbstract);
}
