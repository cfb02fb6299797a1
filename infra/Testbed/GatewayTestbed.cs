using Testbed.Model;
using Testbed.Resources;
using Testbed.Secrets;

namespace Testbed;

/// <summary>
/// The testbed of Iatrou et al. (2009), section 3: two Linux gateways back to back on one link, each with the
/// tools to measure, a tuned TCP stack and NIC (section 5), an MTU, and manual SAs between them. This is the
/// whole declaration; every setting below is one resource that the engine reads, diffs and applies.
/// </summary>
public static class GatewayTestbed
{
    public const string SiteDev = "site0";

    public static IReadOnlyList<Resource> Declare(TestbedSpec spec, IKeyring keys, IReadOnlyList<WireEnd> wire)
    {
        var resources = new List<Resource>();

        foreach (var gw in spec.Gateways)
        {
            // The measuring tools, on every gateway.
            resources.AddRange(Package.On(gw.Name, Package.Required));

            // Kernel profile: TCP options and socket buffers.
            foreach (var (key, value) in spec.Kernel.Sysctls)
                resources.Add(new Sysctl { Host = gw.Name, Key = key, Value = value });

            // NIC: interrupt coalescing and offloads on the data NIC, then its MTU.
            foreach (var c in spec.Nic.Coalesce)
                resources.Add(new NicCoalesce { Host = gw.Name, Dev = gw.Nic, Param = c.Param, Value = c.Value, FromTuning = c.BestEffort });
            foreach (var (feature, on) in spec.Nic.Offload)
                resources.Add(new NicOffload { Host = gw.Name, Dev = gw.Nic, Feature = feature, On = on });
            resources.Add(new LinkMtu { Host = gw.Name, Dev = gw.Nic, Mtu = spec.Mtu });

            // Tunnel mode joins two sites: each gateway holds its site's first address and routes to the other site.
            if (spec.Ipsec.Mode == IpsecMode.Tunnel)
            {
                var peer = spec.Peer(gw);
                var link = new DummyLink { Host = gw.Name, Dev = SiteDev };
                var addr = new Address { Host = gw.Name, Dev = SiteDev, Cidr = gw.SiteAddress.ToString(), After = [link.Urn] };
                resources.Add(link);
                resources.Add(addr);
                resources.Add(new Route
                {
                    Host = gw.Name, To = peer.Site.ToString(), Via = peer.Address.Address.ToString(),
                    Src = gw.SiteAddress.Address.ToString(), After = [addr.Urn],
                });
            }
        }

        // The link: shaped to 10, 100 or 1000 Mbit/s at both ends of the wire, or left alone.
        if (spec.Link.RateMbit is { } rate)
            foreach (var end in wire)
                resources.Add(new Shaper { Host = end.Host, Dev = end.Dev, RateMbit = rate, Mtu = spec.Mtu });

        if (spec.Ipsec.Keying == Keying.Ikev2)
        {
            resources.AddRange(IkeKeying(spec, keys));
            return resources;
        }

        // IPsec: every SA on both gateways, each policy on the gateway it guards.
        var ipsec = SecurityDatabases.For(spec, keys);
        var states = new List<XfrmState>();
        foreach (var gw in spec.Gateways)
            foreach (var sa in ipsec.Sas)
                states.Add(XfrmState.For(gw.Name, sa));
        resources.AddRange(states);
        foreach (var (gw, policy) in ipsec.Policies)
        {
            var mine = states.Where(s => s.Host == gw.Name && policy.Templates.Any(t => t.Proto == s.Proto && t.Reqid == s.Sa.Reqid));
            resources.Add(XfrmPolicy.For(gw.Name, policy, mine.Select(s => s.Urn)));
        }
        return resources;
    }

    /// <summary>
    /// IKEv2 keying (strongSwan): on each gateway the daemon and the connection to its peer; the sender initiates the
    /// child SA, whose kernel SAs and policies the daemons install on both.
    /// </summary>
    static IEnumerable<Resource> IkeKeying(TestbedSpec spec, IKeyring keys)
    {
        var psk = keys.Key(IkeSettings.PskSlot, IkeSettings.Psk);
        var conns = new List<SwanctlConn>();
        foreach (var gw in spec.Gateways)
        {
            var packages = Package.On(gw.Name, Package.Ike).ToList();
            foreach (var p in packages) yield return p;
            var daemon = new Charon { Host = gw.Name, After = [.. packages.Select(p => p.Urn)] };
            yield return daemon;
            var conn = new SwanctlConn { Host = gw.Name, Text = SwanctlText.Render(spec, gw, gw.Role == Role.Sender, psk), DaemonUrn = daemon.Urn };
            conns.Add(conn);
            yield return conn;
        }
        var sender = spec.Sender;
        yield return new ChildSa
        {
            Host = sender.Name, Local = sender.Address.Address.ToString(), Remote = spec.Receiver.Address.Address.ToString(),
            Protection = spec.Ipsec.Protection, Mode = spec.Ipsec.Mode, ConnUrns = [.. conns.Select(c => c.Urn)],
        };
    }
}
