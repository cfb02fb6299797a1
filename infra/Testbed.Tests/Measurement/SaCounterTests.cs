using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;

namespace Testbed.Tests.Measurement;

public class SaCounterTests
{
    /// <summary>
    /// SaCounter.Script's output on the local gw-a guest (iproute2 6.1.0) after three netperf iterations through an
    /// ESP tunnel (aes128-sha1), 2026-11-26. The key lines were dropped on the guest by the script itself.
    /// </summary>
    const string Captured = """
        src 192.0.2.2 dst 192.0.2.1
        	proto esp spi 0x00001002(4098) reqid 2(0x00000002) mode tunnel
        	replay-window 32 seq 0x00000000 flag  (0x00000000)
        	anti-replay context: seq 0xaaab, oseq 0x0, bitmap 0xfe7befff
        	sel src 0.0.0.0/0 dst 0.0.0.0/0 uid 0
        	lifetime config:
        	  limit: soft (INF)(bytes), hard (INF)(bytes)
        	  limit: soft (INF)(packets), hard (INF)(packets)
        	  expire add: soft 0(sec), hard 0(sec)
        	  expire use: soft 0(sec), hard 0(sec)
        	lifetime current:
        	  2160652(bytes), 41364(packets)
        	  add 2026-11-26 00:46:38 use 2026-11-26 00:47:46
        	stats:
        	  replay-window 0 replay 0 failed 0
        src 192.0.2.1 dst 192.0.2.2
        	proto esp spi 0x00001001(4097) reqid 1(0x00000001) mode tunnel
        	replay-window 32 seq 0x00000000 flag  (0x00000000)
        	anti-replay context: seq 0x0, oseq 0x6434a, bitmap 0x00000000
        	sel src 0.0.0.0/0 dst 0.0.0.0/0 uid 0
        	lifetime config:
        	  limit: soft (INF)(bytes), hard (INF)(bytes)
        	  limit: soft (INF)(packets), hard (INF)(packets)
        	  expire add: soft 0(sec), hard 0(sec)
        	  expire use: soft 0(sec), hard 0(sec)
        	lifetime current:
        	  587743984(bytes), 410442(packets)
        	  add 2026-11-26 00:46:38 use 2026-11-26 00:47:46
        	stats:
        	  replay-window 0 replay 0 failed 0

        """;

    [Test]
    public void Counters_are_read_per_sa()
    {
        var sas = SaCounter.Parse(Captured);
        sas.Should().Equal(
            new SaCounter("192.0.2.2", "192.0.2.1", "esp", 0x1002, 2160652, 41364, 0, 0, 0),
            new SaCounter("192.0.2.1", "192.0.2.2", "esp", 0x1001, 587743984, 410442, 0, 0, 0));
        sas[1].Name.Should().Be("esp spi 0x00001001 192.0.2.1>192.0.2.2", "the same name the engine gives the SA");
    }

    [Test]
    public void Drops_and_integrity_failures_are_read_from_the_stats()
    {
        var sa = SaCounter.Parse(Captured.Replace("replay-window 0 replay 0 failed 0\nsrc", "replay-window 3 replay 2 failed 7\nsrc")).First();
        (sa.ReplayWindowDrops, sa.Replays, sa.Failed).Should().Be((3, 2, 7));
        SaCounter.Parse("").Should().BeEmpty("a host without SAs prints nothing");
    }

    [Test]
    public void A_run_is_the_difference_of_two_samples()
    {
        var after = SaCounter.Parse(Captured);
        var before = after.Select(s => s with { Bytes = s.Bytes - 1000, Packets = s.Packets - 10 }).Take(1).ToList();
        var delta = SaDelta.Between("gw-a", before, after);
        delta.Should().ContainSingle("an SA absent from either sample has no difference")
            .Which.Should().Be(new SaDelta("gw-a", "esp spi 0x00001002 192.0.2.2>192.0.2.1", "192.0.2.2", "192.0.2.1", "esp", 0x1002, 1000, 10, 0, 0));
    }

    [Test]
    public void The_script_keeps_keys_on_the_host()
    {
        // Run the script's filter over a state dump that still has its key lines, as a guest would.
        var withKeys = Captured.Replace("\treplay-window 32 seq", "\tauth-trunc hmac(sha1) 0x00112233445566778899aabbccddeeff00112233 (160 bits) 96\n" +
                                                            "\tenc cbc(aes) 0x0123456789abcdef0123456789abcdef (128 bits)\n\treplay-window 32 seq");
        var filter = SaCounter.Script.Replace("ip -s xfrm state list", "cat");
        var (stdout, _) = Support.Shell.Run($"printf '%s' '{withKeys.Replace("'", "'\\''")}' | {filter}");
        stdout.Should().NotContain("0x0123456789abcdef").And.NotContain("00112233445566778899").And.NotContain("enc ").And.Contain("587743984(bytes)");
        SaCounter.Parse(stdout).Should().HaveCount(2);
    }
}
