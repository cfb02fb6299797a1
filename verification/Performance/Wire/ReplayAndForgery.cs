using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Secrets;
using Testbed.Transport;

namespace Verification.Performance.Wire;

/// <summary>
/// An attacker on the wire, played by the sender's own NIC: packets of the stack's ESP suite captured there are sent
/// again (tcpreplay), and packets under a wrong key are sent with fresh sequence numbers. The receiver must drop
/// both, and its xfrm statistics must say why: replay for the first, integrity failure for the second. The engine
/// then repairs the tampered SA (it shows as drift), renewing both copies, and traffic flows again.
/// </summary>
[Order(4)]
public sealed class ReplayAndForgery
{
    const int Packets = 3;
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    Deployment _d = null!;
    TestbedSpec _spec = null!;
    XfrmState _forward = null!;
    IHostShell _sender = null!, _receiver = null!;

    /// <summary>The stack's own suite when it is ESP, else the default one (ESP with AES-128-CBC and HMAC-SHA1-96).</summary>
    static Protection Suite(TestbedSpec stack) =>
        stack.Ipsec.Protection.Proto == IpsecProto.Esp ? stack.Ipsec.Protection : Protection.Parse("esp-aes128-sha1")!;

    [OneTimeSetUp]
    public async Task ProvisionAsync()
    {
        _d = TestbedRun.Context.Deployment;
        _spec = _d.Spec with { Ipsec = _d.Spec.Ipsec.With(Suite(_d.Spec)) };
        var (_, applied) = await _d.UpAsync(_spec, CancellationToken.None);
        applied.Failed.Should().BeFalse();
        await WireMend.EnsureAsync(_d, _spec, "replay and forgery", CancellationToken.None);
        _forward = _d.Declare(_spec).OfType<XfrmState>().Single(s => s.Host == _spec.Receiver.Name && s.Sa!.Flow == Flow.Forward);
        (_sender, _receiver) = (_d.Shell(_spec.Sender.Name), _d.Shell(_spec.Receiver.Name));
    }

    static Task<CommandResult> Run(IHostShell shell, string script, string what, string? stdin = null) =>
        shell.RunAsync(new RemoteCommand(script, stdin), what, Timeout, CancellationToken.None);

    /// <summary>The receiver's counters for the forward SA, and the kernel's global xfrm error counters.</summary>
    async Task<(SaCounter Sa, IReadOnlyDictionary<string, long> Stat)> ReceiverStatsAsync()
    {
        var r = await Run(_receiver, SaCounter.Script + "\necho @@stat\ncat /proc/net/xfrm_stat", "read xfrm statistics");
        var parts = r.Stdout.Split("@@stat\n");
        var sa = SaCounter.Parse(parts[0]).Single(c => c.Name == _forward.Name);
        var stat = parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length == 2).ToDictionary(w => w[0], w => long.Parse(w[1]));
        return (sa, stat);
    }

    async Task<int> PingAsync()
    {
        var (source, target) = WireTraffic.PathOf(_spec);
        var r = await Run(_sender, $"ping -c {Packets} -i 0.2 -W 1 -I {source} {target} | grep -o '[0-9]* received'", "ping");
        return int.TryParse(r.Stdout.Split(' ')[0], out var n) ? n : 0;
    }

    [Test, Order(1)]
    public async Task A_replayed_packet_is_dropped_and_counted_as_a_replay()
    {
        var nic = _spec.Sender.Nic;
        var file = $"/tmp/tb-replay-{Guid.NewGuid():N}.pcap";
        var (source, target) = WireTraffic.PathOf(_spec);
        // Capture exactly the forward ESP packets of a ping on the sender's NIC (once tcpdump has its file open: a
        // guest starts processes slowly), then send them again from there.
        var capture = await Run(_sender,
            $"timeout 30 tcpdump -i {nic} -n -U -c {Packets} -w {file} 'esp and src {_forward.Src} and dst {_forward.Dst}' </dev/null >/dev/null 2>&1 &\n" +
            "dump=$!\n" +
            $"i=0; while [ ! -s {file} ]; do i=$((i+1)); [ $i -ge 100 ] && exit 4; sleep 0.05; done; sleep 0.3\n" +
            $"ping -c 20 -i 0.2 -W 1 -I {source} {target} </dev/null >/dev/null 2>&1 &\n" +
            "pinger=$!\n" +
            "wait $dump; rc=$?; kill $pinger 2>/dev/null; exit $rc",
            "capture ESP packets");
        capture.Ok.Should().BeTrue($"tcpdump on {_spec.Sender.Name} must catch {Packets} ESP packets: {capture.Stderr}");

        var before = await ReceiverStatsAsync();
        var replay = await Run(_sender, $"tcpreplay -q -i {nic} {file}; rm -f {file}", "replay ESP packets");
        replay.Ok.Should().BeTrue($"tcpreplay must send the captured packets: {replay.Stderr}");
        await Task.Delay(500);
        var after = await ReceiverStatsAsync();

        ProgressReporter.Line($"wire: replayed {Packets} ESP packets of {_forward.Name}: receiver replay counter " +
                              $"{before.Sa.Replays} → {after.Sa.Replays}, XfrmInStateSeqError {before.Stat["XfrmInStateSeqError"]} → {after.Stat["XfrmInStateSeqError"]}");
        WireTally.AddAttack();
        (after.Sa.Replays - before.Sa.Replays).Should().Be(Packets, "every replayed packet must be caught by the replay window");
        (after.Stat["XfrmInStateSeqError"] - before.Stat["XfrmInStateSeqError"]).Should().Be(Packets, "the kernel counts them as sequence errors");
        after.Sa.Packets.Should().Be(before.Sa.Packets, "no replayed packet may be accepted");
    }

    [Test, Order(2)]
    public async Task A_packet_under_a_wrong_key_is_dropped_as_an_integrity_failure_and_up_repairs_the_sa()
    {
        var sa = _forward.Sa!;
        var before = await ReceiverStatsAsync();
        // The sender's SA is swapped for one with the same SPI and fresh random keys, counting on from well past what
        // the receiver has seen so that the replay window lets the packets through to the integrity check.
        var add = $"xfrm state add src {sa.Src} dst {sa.Dst} proto esp spi {XfrmText.Hex(sa.Spi)} reqid {sa.Reqid} mode {IpsecNames.Of(sa.Mode)} " +
                  $"replay-window {sa.ReplayWindow} replay-oseq {before.Sa.Packets + 1000}";
        if (sa.Aead is { } aead) add += $" aead {aead.Algorithm.Name} {Secret.Random(aead.Algorithm.KeyBits).RevealHex()} {aead.Algorithm.TruncBits}";
        if (sa.Enc is { } enc) add += $" enc {enc.Algorithm.Name} {Secret.Random(enc.Algorithm.KeyBits).RevealHex()}";
        if (sa.Auth is { } auth) add += $" auth-trunc {auth.Algorithm.Name} {Secret.Random(auth.Algorithm.KeyBits).RevealHex()} {auth.Algorithm.TruncBits}";
        var swap = await Run(_sender,
            $"ip xfrm state delete src {sa.Src} dst {sa.Dst} proto esp spi {XfrmText.Hex(sa.Spi)}; ip -batch -", "install a wrong key", add + "\n");
        swap.Ok.Should().BeTrue($"the wrong-key SA must install: {Redactor.Redact(swap.Stderr)}");

        var answered = await PingAsync();
        var after = await ReceiverStatsAsync();
        ProgressReporter.Line($"wire: {Packets} packets under a wrong key for {_forward.Name}: {answered} answered; receiver failed counter " +
                              $"{before.Sa.Failed} → {after.Sa.Failed}, XfrmInStateProtoError {before.Stat["XfrmInStateProtoError"]} → {after.Stat["XfrmInStateProtoError"]}");
        WireTally.AddAttack();
        answered.Should().Be(0, "nothing sent under a wrong key may be answered");
        (after.Sa.Failed - before.Sa.Failed).Should().Be(Packets, "each forged packet must fail the integrity check");
        (after.Stat["XfrmInStateProtoError"] - before.Stat["XfrmInStateProtoError"]).Should().Be(Packets);
        after.Sa.Packets.Should().Be(before.Sa.Packets, "no forged packet may be accepted");

        // The tampered SA is drift: up replaces it, and its receiver copy with it, and the tunnel works again.
        var (plan, result) = await _d.UpAsync(_spec, CancellationToken.None);
        result.Failed.Should().BeFalse();
        plan.Steps.Where(s => s.Id.Kind == ResourceKind.XfrmState && s.Id.Name == _forward.Name).Select(s => (s.Host, s.Change))
            .Should().BeEquivalentTo([(_spec.Sender.Name, Change.Replace), (_spec.Receiver.Name, Change.Replace)]);
        (await PingAsync()).Should().Be(Packets, "after up the tunnel must carry traffic again");
    }
}
