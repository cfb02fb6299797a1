using System.Buffers.Binary;
using System.Net;

namespace Verification.Performance.Wire;

/// <summary>
/// What a frame on the wire says about IPsec: its outer IPv4 addresses and protocol, and for ESP and AH the SPI and
/// sequence number (and for AH the protocol it carries), and whether it is an IKE message. Anything else on the wire
/// (ARP, IPv6) has no <c>Src</c>.
/// </summary>
public sealed record WirePacket(Frame Frame, IPAddress? Src, IPAddress? Dst, int Protocol, uint? Spi, uint? Seq, int? AhNext, bool Ike = false)
{
    public const int Icmp = 1, Tcp = 6, Udp = 17, Esp = 50, Ah = 51;

    /// <summary>IKE's ports: 500, and 4500 where a message starts with four zero bytes (RFC 3948's non-ESP marker; else it is ESP in UDP).</summary>
    public const int IkePort = 500, NatTraversalPort = 4500;

    public bool IsIpv4 => Src is not null;

    public string ProtocolName => Protocol switch
    {
        Esp => "ESP", Ah => "AH", Tcp => "TCP", Udp => "UDP", Icmp => "ICMP", _ => $"proto {Protocol}",
    };

    public static WirePacket Parse(Frame frame)
    {
        var b = frame.Bytes;
        var type = b.Length >= 14 ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(12)) : 0;
        var ip = 14;
        if (type == 0x8100 && b.Length >= 18) { type = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(16)); ip = 18; }
        if (type != 0x0800 || b.Length < ip + 20 || b[ip] >> 4 != 4) return new WirePacket(frame, null, null, -1, null, null, null);

        var headerLength = (b[ip] & 0x0f) * 4;
        var protocol = b[ip + 9];
        var src = new IPAddress(b.AsSpan(ip + 12, 4));
        var dst = new IPAddress(b.AsSpan(ip + 16, 4));
        var l4 = ip + headerLength;
        uint? U32(int at) => b.Length >= at + 4 ? BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at)) : null;
        return protocol switch
        {
            Esp => new WirePacket(frame, src, dst, protocol, U32(l4), U32(l4 + 4), null),
            // AH: next header, payload length, reserved, SPI, sequence, ICV.
            Ah => new WirePacket(frame, src, dst, protocol, U32(l4 + 4), U32(l4 + 8), b.Length > l4 ? b[l4] : null),
            Udp => new WirePacket(frame, src, dst, protocol, null, null, null, IsIke(b, l4)),
            _ => new WirePacket(frame, src, dst, protocol, null, null, null),
        };
    }

    static bool IsIke(byte[] b, int udp)
    {
        if (b.Length < udp + 8) return false;
        var (sport, dport) = (BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(udp)), BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(udp + 2)));
        if (sport == IkePort || dport == IkePort) return true;
        return (sport == NatTraversalPort || dport == NatTraversalPort) && b.Length >= udp + 12 && BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(udp + 8)) == 0;
    }

    /// <summary>True when <paramref name="marker"/> occurs anywhere in the captured bytes of the frame.</summary>
    public bool Contains(ReadOnlySpan<byte> marker) => Frame.Bytes.AsSpan().IndexOf(marker) >= 0;

    public override string ToString() =>
        Src is null ? "non-IPv4 frame" : $"{Src} > {Dst} {(Ike ? "IKE" : ProtocolName)}" + (Spi is { } spi ? $" spi 0x{spi:x8} seq {Seq}" : "");
}
