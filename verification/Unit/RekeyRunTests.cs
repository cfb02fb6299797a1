using System.Globalization;
using FluentAssertions;
using NUnit.Framework;
using Verification.Ike;

namespace Verification.Unit;

/// <summary>The rekey test's reading of netperf's interim results, the kernel's SA events and the xfrm counters.</summary>
public class RekeyRunTests
{
    const double T0 = 1796312850.0;

    /// <summary>A stream of one-second windows at <paramref name="rates"/>, the first starting at <see cref="T0"/>.</summary>
    static List<Interim> Stream(params double[] rates) =>
        rates.Select((r, i) => new Interim(T0 + i + 1, 1.0, r)).ToList();

    static RekeyRun Run(IReadOnlyList<Interim> windows, params double[] rekeysAfterT0) =>
        new(windows, rekeysAfterT0.Select(r => T0 + r).ToList(), new Dictionary<string, long>(), new Dictionary<string, long>());

    [Test]
    public void Netperf_demo_lines_become_windows_and_other_lines_are_ignored()
    {
        const string output = """
            MIGRATED TCP STREAM TEST from 10.1.0.1 () port 0 AF_INET to 10.2.0.1 () port 0 AF_INET : demo
            Interim result:  420.97 10^6bits/s over 1.001 seconds ending at 1796312853.679
            Interim result:  118.17 10^6bits/s over 1.450 seconds ending at 1796312855.129
            Recv   Send    Send
            131072  16384  16384    60.00     401.23
            """;
        RekeyRun.ParseInterim(output).Should().Equal(
            new Interim(1796312853.679, 1.001, 420.97), new Interim(1796312855.129, 1.450, 118.17));
    }

    [Test]
    public void A_new_inbound_sa_is_its_first_event_and_deletions_and_other_directions_are_not_rekeys()
    {
        const string monitor = """
            [2026-12-03T15:48:38.514172] Updated src 192.0.2.1 dst 192.0.2.2
            	proto esp spi 0xc29842aa reqid 1 mode tunnel
            	replay-window 0 flag af-unspec
            [2026-12-03T15:48:38.514900] src 192.0.2.1 dst 192.0.2.2
            	proto esp spi 0xc29842aa reqid 1 mode tunnel
            [2026-12-03T15:48:38.515000] src 192.0.2.2 dst 192.0.2.1
            	proto esp spi 0xc5d1e0f3 reqid 1 mode tunnel
            [2026-12-03T15:48:40.000100] Deleted src 192.0.2.1 dst 192.0.2.2
            	proto esp spi 0xc1111111 reqid 1 mode tunnel
            [2026-12-03T15:48:53.250000] src 192.0.2.1 dst 192.0.2.2
            	proto esp spi 0xc2222222 reqid 1 mode tunnel
            """;
        var at = XfrmMonitor.Installed(monitor, "192.0.2.2");
        var expected = new[] { "2026-12-03T15:48:38.514Z", "2026-12-03T15:48:53.250Z" }
            .Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0);
        at.Should().Equal(expected);
        XfrmMonitor.Sas(monitor).Should().Equal(
            ("esp", "192.0.2.1", "192.0.2.2", 0xc29842aau), ("esp", "192.0.2.2", "192.0.2.1", 0xc5d1e0f3u),
            ("esp", "192.0.2.1", "192.0.2.2", 0xc1111111u), ("esp", "192.0.2.1", "192.0.2.2", 0xc2222222u));
    }

    [Test]
    public void Xfrm_stat_reads_as_counters_and_the_drop_is_the_difference()
    {
        var before = RekeyRun.ParseCounters("XfrmInError             \t0\nXfrmInNoStates          \t2\nXfrmInStateSeqError     \t0\n");
        var after = RekeyRun.ParseCounters("XfrmInError             \t0\nXfrmInNoStates          \t5\nXfrmInStateSeqError     \t0\n");
        before.Should().HaveCount(3);
        var run = new RekeyRun([], [], before, after);
        run.Dropped("XfrmInNoStates").Should().Be(3);
        run.Dropped("XfrmInStateSeqError").Should().Be(0);
        run.Dropped("XfrmOutNoStates").Should().Be(0, "a counter the kernel does not print is a counter that did not move");
    }

    [Test]
    public void A_stall_is_consecutive_near_empty_windows_or_a_window_stretched_by_a_blocked_send()
    {
        Run(Stream(100, 100, 100, 5, 3, 100, 100, 100)).LongestStall(1.0).Should().BeApproximately(2.0, 1e-9);
        Run(Stream(100, 100, 100, 100)).LongestStall(1.0).Should().Be(0);

        var stretched = Stream(100, 100, 100, 100);
        stretched[2] = stretched[2] with { Seconds = 3.7 };
        Run(stretched).LongestStall(1.0).Should().BeApproximately(2.2, 1e-9, "a 1 s window reported after 3.7 s: 2.2 s longer than one and a half windows");
    }

    [Test]
    public void A_dip_is_measured_against_the_windows_around_the_rekey_not_the_whole_stream()
    {
        // The machine slows the stream to half midway; the rekey at 12.5 s costs its window 30 % of what its neighbours did.
        var rates = Enumerable.Repeat(200.0, 8).Concat(Enumerable.Repeat(100.0, 10)).ToArray();
        rates[12] = 70;
        var run = Run(Stream(rates), 12.5);

        run.RekeyWindows.Should().ContainSingle().Which.Window.Should().Be(12);
        run.Dips.Should().ContainSingle().Which.Dip.Should().BeApproximately(0.30, 1e-9);
        run.Typical.Should().BeGreaterThan(100, "against the whole stream the same window would read as a deeper dip");
    }

    [Test]
    public void Sas_installed_in_one_window_are_one_rekey_and_a_rekey_outside_the_stream_is_none()
    {
        var run = Run(Stream(Enumerable.Repeat(100.0, 20).ToArray()), 5.2, 5.213, 14.5, 25.0);
        run.RekeyWindows.Select(r => r.Window).Should().Equal(5, 14);
    }

    [Test]
    public void The_noise_is_the_90th_percentile_of_the_dip_measure_where_no_rekey_was()
    {
        var steady = Run(Stream(Enumerable.Repeat(100.0, 20).ToArray()), 10.5);
        steady.Noise.Should().Be(0, "a stream that does not wobble can show any dip");

        var rng = new Random(7);
        var wobbly = Run(Stream(Enumerable.Range(0, 40).Select(_ => 100 + rng.Next(-20, 21) * 1.0).ToArray()), 20.5);
        wobbly.Noise.Should().BeInRange(0.05, 0.35, "windows ±20 % around their neighbours' center");
        Run(Stream(100, 100, 100), 1.5).Noise.Should().Be(double.NaN, "too few quiet windows to say");
    }
}
