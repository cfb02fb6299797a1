using System.Buffers.Binary;

namespace Verification.Performance.Wire;

/// <summary>One captured frame, as tcpdump wrote it (cut at the snap length).</summary>
public sealed record Frame(DateTimeOffset Time, byte[] Bytes, int OriginalLength);

/// <summary>Reads the classic pcap format tcpdump writes with <c>-w</c> (Ethernet link type).</summary>
public static class Pcap
{
    public const int LinkEthernet = 1;

    public static IReadOnlyList<Frame> Read(byte[] file)
    {
        if (file.Length < 24) throw new FormatException($"a pcap file has a 24-byte header; this one has {file.Length} bytes");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        var (little, nanos) = magic switch
        {
            0xa1b2c3d4 => (true, false),
            0xa1b23c4d => (true, true),
            0xd4c3b2a1 => (false, false),
            0x4d3cb2a1 => (false, true),
            _ => throw new FormatException($"not a pcap file (magic 0x{magic:x8})"),
        };
        uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
        var link = U32(20);
        if (link != LinkEthernet) throw new FormatException($"pcap link type {link}; capture on an Ethernet interface (type 1)");

        var frames = new List<Frame>();
        for (var at = 24; at + 16 <= file.Length;)
        {
            var (sec, frac, incl, orig) = (U32(at), U32(at + 4), (int)U32(at + 8), (int)U32(at + 12));
            at += 16;
            if (incl < 0 || at + incl > file.Length) break;   // a capture stopped mid-record: keep what is whole
            var time = DateTimeOffset.FromUnixTimeSeconds(sec).AddTicks(nanos ? frac / 100 : frac * 10L);
            frames.Add(new Frame(time, file.AsSpan(at, incl).ToArray(), orig));
            at += incl;
        }
        return frames;
    }
}
