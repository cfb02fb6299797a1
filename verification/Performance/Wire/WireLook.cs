using System.Net;
using Testbed.Model;
using Testbed.Resources;

namespace Verification.Performance.Wire;

/// <summary>
/// What a capture shows for one suite: the packets between the two gateways' link addresses ("protected"), which
/// of them break the rules (not the suite's protocol, or an SPI not among <c>spis</c>: those the engine declared, or
/// those the IKE daemons negotiated), whether anything from the sites crossed with its own addresses, and how many
/// frames carry the marker in readable form. With IKE keying the daemons' own messages (UDP 500/4500) may cross too.
/// </summary>
public sealed class WireLook
{
    public IReadOnlyList<WirePacket> All { get; }
    public IReadOnlyList<WirePacket> Forward { get; }
    public IReadOnlyList<WirePacket> Reverse { get; }
    public IReadOnlyList<string> Violations { get; }
    public IReadOnlyList<WirePacket> SiteLeaks { get; }
    public int MarkerFrames { get; }
    public int IkeMessages { get; }

    /// <param name="spis">The SAs that may show, as <c>ip xfrm</c> names them: protocol (<c>esp</c>, <c>ah</c>), source, destination, SPI.</param>
    public WireLook(IReadOnlyList<WirePacket> packets, TestbedSpec spec, IReadOnlyCollection<(string Proto, string Src, string Dst, uint Spi)> spis, string marker)
    {
        var ike = spec.Ipsec.Keying == Keying.Ikev2;
        All = packets;
        // IPsec packets travel between the link addresses; plain IP in tunnel mode travels with the sites' own.
        var plainTunnel = spec.Ipsec.Protection.Proto == IpsecProto.None && spec.Ipsec.Mode == IpsecMode.Tunnel;
        var (a, b) = plainTunnel
            ? (spec.Sender.SiteAddress.Address, spec.Receiver.SiteAddress.Address)
            : (spec.Sender.Address.Address, spec.Receiver.Address.Address);
        Forward = packets.Where(p => a.Equals(p.Src) && b.Equals(p.Dst)).ToList();
        Reverse = packets.Where(p => b.Equals(p.Src) && a.Equals(p.Dst)).ToList();
        SiteLeaks = packets.Where(p => p.IsIpv4 && spec.Gateways.Any(g => g.Site.Contains(p.Src!) || g.Site.Contains(p.Dst!))).ToList();
        MarkerFrames = packets.Count(p => p.Contains(System.Text.Encoding.ASCII.GetBytes(marker)));

        var violations = new List<string>();
        var proto = spec.Ipsec.Protection.Proto;
        if (proto != IpsecProto.None)
        {
            // On the wire the outermost header shows: AH for ah and for an esp+ah bundle (carrying ESP), else ESP.
            var outer = proto == IpsecProto.Esp ? "esp" : "ah";
            var known = spis.Where(s => s.Proto == outer).GroupBy(s => (s.Src, s.Dst)).ToDictionary(g => g.Key, g => g.Select(s => s.Spi).ToHashSet());
            foreach (var p in Forward.Concat(Reverse))
            {
                var allowed = known.GetValueOrDefault((p.Src!.ToString(), p.Dst!.ToString())) ?? [];
                if (ike && p.Ike) IkeMessages++;
                else if (p.Protocol != (outer == "esp" ? WirePacket.Esp : WirePacket.Ah))
                    violations.Add($"{p}: expected {outer.ToUpperInvariant()}");
                else if (p.Spi is not { } spi || !allowed.Contains(spi))
                    violations.Add($"{p}: SPI not among the {(ike ? "negotiated" : "declared")} {string.Join(", ", allowed.Select(XfrmText.Hex))}");
                else if (proto == IpsecProto.EspAh && p.AhNext != WirePacket.Esp)
                    violations.Add($"{p}: AH carries protocol {p.AhNext}, expected ESP (50)");
            }
        }
        Violations = violations;
    }

    public string Summary =>
        $"{All.Count} frames, {Forward.Count} sender→receiver and {Reverse.Count} receiver→sender on the path, " +
        $"{Violations.Count} off-rule, {SiteLeaks.Count} with a site address outside IPsec, {MarkerFrames} showing the marker" +
        (IkeMessages > 0 ? $", {IkeMessages} IKE messages" : "");
}
