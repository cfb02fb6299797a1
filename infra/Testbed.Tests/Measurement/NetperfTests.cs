using System.Net;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Tests.Support;

namespace Testbed.Tests.Measurement;

public class NetperfTests
{
    /// <summary>
    /// netperf 2.7.0 in the local gw-a guest (ESP tunnel, aes128-sha1, MTU 1500) on 2026-11-26, run with the -k keys of
    /// NetperfRequest: <c>-l 4 -i 3,3 -I 95,10 -- -m 16384</c>.
    /// </summary>
    const string Captured = """
        THROUGHPUT=374.26
        THROUGHPUT_UNITS=10^6bits/s
        THROUGHPUT_CONFID=17.082
        CONFIDENCE_LEVEL=95
        CONFIDENCE_INTERVAL=10.000000
        CONFIDENCE_ITERATION=3
        ELAPSED_TIME=4.02
        LOCAL_SEND_SIZE=16384
        LSS_SIZE_END=4194304
        RSR_SIZE_END=4194304
        TRANSPORT_MSS=1386
        LOCAL_BYTES_SENT=195592192
        REMOTE_BYTES_RECVD=195599830
        LOCAL_TRANSPORT_RETRANS=648

        """;

    [Test]
    public void Keyword_output_is_read_field_by_field()
    {
        var r = NetperfResult.Parse(Captured);
        r.Should().Be(new NetperfResult(374.26, 17.082, 95, 3, 4.02, 16384, 4194304, 4194304, 1386, 195592192, 195599830, 648));
        r.RelativeHalfWidth.Should().BeApproximately(0.08541, 1e-9, "netperf reports the full width in per cent");
    }

    [Test]
    public void No_interval_and_bad_output_are_told_apart()
    {
        NetperfResult.Parse(Captured.Replace("THROUGHPUT_CONFID=17.082", "THROUGHPUT_CONFID=-1.000")).ConfidenceWidthPct.Should().BeNull();
        var missing = () => NetperfResult.Parse(Captured.Replace("TRANSPORT_MSS=1386\n", ""));
        missing.Should().Throw<FormatException>().WithMessage("*TRANSPORT_MSS*");
        var units = () => NetperfResult.Parse(Captured.Replace("10^6bits/s", "10^3Bytes/s"));
        units.Should().Throw<FormatException>().WithMessage("*10^3Bytes/s*");
        var error = () => NetperfResult.Parse("establish control: are you sure there is a netserver listening on 10.2.0.1 at port 12865?");
        error.Should().Throw<FormatException>().WithMessage("*netserver listening*");
    }

    [Test]
    public void Tunnel_mode_streams_between_the_site_addresses()
    {
        var req = NetperfRequest.Across(Specs.Testbed(IpsecMode.Tunnel), 16384, 10, 12, 4, 95, 3);
        (req.Target, req.Source).Should().Be((IPAddress.Parse("10.2.0.1"), IPAddress.Parse("10.1.0.1")));
        req.CommandLine.Should().StartWith("netperf -P 0 -t TCP_STREAM -H 10.2.0.1 -L 10.1.0.1 -l 10 -i 12,4 -I 95,3 -- -m 16384 -k THROUGHPUT,");
        req.Problem.Should().BeNull();
        req.Timeout.Should().BeGreaterThan(TimeSpan.FromSeconds(12 * 10));
    }

    [Test]
    public void Transport_mode_streams_between_the_link_addresses()
    {
        var req = NetperfRequest.Across(Specs.Testbed(IpsecMode.Transport), 64, 4, 3, 3, 99, 2.5);
        req.CommandLine.Should().Contain("-H 192.0.2.2 -L 192.0.2.1").And.Contain("-I 99,2.5").And.Contain("-m 64 ");
    }

    [TestCase(0, 10, 3, 3, 95, "message size")]
    [TestCase(1024, 0, 3, 3, 95, "run length")]
    [TestCase(1024, 10, 3, 2, 95, "min >= 3")]
    [TestCase(1024, 10, 2, 3, 95, "min >= 3")]
    [TestCase(1024, 10, 3, 3, 90, "confidence level")]
    public void Requests_netperf_cannot_run_are_refused(int size, int seconds, int max, int min, int level, string why) =>
        new NetperfRequest(IPAddress.Loopback, IPAddress.Loopback, size, seconds, max, min, level, 5).Problem.Should().Contain(why);
}
