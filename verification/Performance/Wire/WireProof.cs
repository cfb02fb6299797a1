using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Resources;

namespace Verification.Performance.Wire;

/// <summary>The cases a wire check looks at: plain IP (the control: payload must be readable) and every IPsec suite.</summary>
public static class WireCases
{
    public static IEnumerable<TestFixtureData> All() =>
        SuiteCases.Plain().Concat(SuiteCases.Ipsec());
}

/// <summary>
/// Proof from the wire, per suite: a capture at one end of the link while a stream, a TCP connection and a ping
/// cross the protected path. Every packet between the gateways must be the suite's protocol with an SPI the engine
/// declared, nothing may cross with a site's own addresses, and a marker sent in the payload must not be readable
/// when the suite encrypts. Plain IP is the control: there the marker must be readable, or the check proves nothing.
/// </summary>
[TestFixtureSource(typeof(WireCases), nameof(WireCases.All))]
[Order(3)]
public sealed class WireProof(SuiteCase suite)
{
    WireLook _look = null!;
    string _where = "";

    bool Encrypts => suite.Protection.Proto is IpsecProto.Esp or IpsecProto.EspAh;

    [OneTimeSetUp]
    public async Task CaptureAsync()
    {
        var ct = CancellationToken.None;
        var d = TestbedRun.Context.Deployment;
        var spec = suite.On(d.Spec);
        var (_, applied) = await d.UpAsync(spec, ct);
        applied.Failed.Should().BeFalse($"{suite} must provision before its wire can be checked");
        await WireMend.EnsureAsync(d, spec, $"wire: {suite}", ct);

        // Where the provider says the link can be watched (the local testbed's namespace); on a lab, what each gateway
        // sends on its data NIC: together, everything that crossed the wire, each frame once.
        IReadOnlyList<WireCapture> captures = d.Topology.Capture is { } end
            ? [new WireCapture(d.Shell(end.Host), end.Dev)]
            : spec.Gateways.Select(g => new WireCapture(d.Shell(g.Name), g.Nic, outgoingOnly: true)).ToList();
        var traffic = new WireTraffic(spec, d.Shell(spec.Sender.Name), d.Shell(spec.Receiver.Name));
        var packets = new List<WirePacket>();
        try
        {
            foreach (var c in captures) await c.StartAsync(ct);
            await traffic.SendAsync(ct);
        }
        finally
        {
            foreach (var c in captures) packets.AddRange(await c.StopAsync(ct));
        }
        var declared = d.Declare(spec).OfType<XfrmState>().Where(s => s.Host == spec.Sender.Name).Select(s => (s.Proto, s.Src, s.Dst, s.Spi)).ToList();
        _look = new WireLook(packets, spec, declared, traffic.Marker);
        _where = string.Join(" and ", captures.Select(c => c.Where));
        WireTally.Add(_look.All.Count, suite.IsPlain ? 0 : _look.Forward.Count + _look.Reverse.Count);
        ProgressReporter.Line($"wire: {suite} on {_where}: {_look.Summary}");
    }

    [Test]
    public void The_stream_crossed_the_wire_both_ways()
    {
        _look.Forward.Should().HaveCountGreaterThan(100, $"a 2 s stream from the sender must show on {_where}");
        _look.Reverse.Should().NotBeEmpty($"the receiver's ACKs must show on {_where}");
    }

    [Test]
    public void Every_packet_between_the_gateways_is_the_suites_protocol_with_a_declared_spi()
    {
        if (suite.IsPlain)
        {
            // Plain IP's own protocols are TCP and ICMP: no ESP or AH may cross the wire at all while it runs (an SA or
            // policy left over from a suite would show here, between the link addresses).
            _look.All.Where(p => p.Protocol is WirePacket.Esp or WirePacket.Ah).Should()
                .BeEmpty($"plain IP must cross without IPsec on {_where}; {_look.Summary}");
            return;
        }
        _look.Violations.Should().BeEmpty($"{suite}: {_look.Summary}; first off-rule packets: {string.Join("; ", _look.Violations.Take(5))}");
    }

    [Test]
    public void Nothing_from_the_sites_crosses_outside_ipsec()
    {
        if (suite.IsPlain)
        {
            // The control: without IPsec the sites' packets cross in clear, and the detector must see them; otherwise an
            // empty list for the IPsec suites would prove nothing.
            _look.SiteLeaks.Should().NotBeEmpty($"plain IP between the sites must show with their addresses on {_where}; {_look.Summary}");
            return;
        }
        _look.SiteLeaks.Should().BeEmpty($"{suite}: packets with a site address must travel inside the tunnel; seen: " +
                                         string.Join("; ", _look.SiteLeaks.Take(5)));
    }

    [Test]
    public void The_marker_is_readable_exactly_when_nothing_encrypts()
    {
        if (Encrypts)
            _look.MarkerFrames.Should().Be(0, $"{suite} encrypts: the marker sent over TCP and ICMP must not be readable on {_where}");
        else
            // Plain IP, and AH (which authenticates but does not encrypt): the marker shows. This is the control that the
            // capture sees payload at all; without it a missing marker would prove nothing.
            _look.MarkerFrames.Should().BeGreaterThan(0, $"{suite} does not encrypt, so the marker must be readable on {_where}");
    }
}

/// <summary>Counts what the wire checks looked at, for the run's summary.</summary>
public static class WireTally
{
    static long _frames, _protected, _attacks;

    public static long Frames => Interlocked.Read(ref _frames);
    public static long Protected => Interlocked.Read(ref _protected);
    public static long Attacks => Interlocked.Read(ref _attacks);

    public static void AddAttack() => Interlocked.Increment(ref _attacks);

    public static void Add(long frames, long protectedPackets)
    {
        Interlocked.Add(ref _frames, frames);
        Interlocked.Add(ref _protected, protectedPackets);
    }
}
