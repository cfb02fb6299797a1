using System.Globalization;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Transport;
using Verification.Performance;
using Verification.Performance.Wire;
using Verification.Support;

namespace Verification.Ike;

/// <summary>
/// A stack keyed by IKEv2 (strongSwan's charon on both local guests), every CI run (issue 13): `up` brings the child SA up
/// and a second `up` changes nothing; the kernel SAs the daemons made carry the declared suite; a rekey every
/// <see cref="RekeySeconds"/> s under a one-minute stream neither stalls it nor drops a packet; a wrong pre-shared key
/// makes `up` fail on the initiator with the daemon's reason and no SA; `destroy` leaves nothing.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class IkeKeyingTests
{
    const string Stack = "ike-rekey";
    const int RekeySeconds = 15, StreamSeconds = 60;

    /// <summary>The longest a stream may move nothing across a rekey. strongSwan installs the new SA before it removes the old.</summary>
    const double StallBound = 2.0;

    const double Interval = 1.0;
    const string Sender = "gw-a", Receiver = "gw-b", SenderAddr = "192.0.2.1", ReceiverAddr = "192.0.2.2";

    static readonly string Yaml = $"""
        # Written by the IKE tests: the default tunnel keyed by IKEv2, rekeyed every {RekeySeconds} s.
        config:
          ipsec-testbed:inventory: local
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: tuned
          ipsec-testbed:mtu: 1500
          ipsec-testbed:ipsec:
            mode: tunnel
            proto: esp
            suite: aes128-sha1
            keying: ikev2
            ike:
              rekey-time: {RekeySeconds}s
              dpd-delay: 10s
        """;

    ThrowAwayProject _project = null!;
    Cli _cli = null!;
    CliResult _up = null!;

    static void Say(string line) => TestContext.Progress.WriteLine("ike: " + line);

    [OneTimeSetUp]
    public async Task Up()
    {
        _project = ThrowAwayProject.Create(Repo.Project);
        _project.WriteStack(Stack, Yaml);
        _cli = new Cli(_project.Dir, new Dictionary<string, string?>());
        Say($"up --stack {Stack} (two guests, charon on each, child SA from {Sender})");
        _up = await _cli.RunAsync(["up", "--stack", Stack, "--yes"], timeout: TimeSpan.FromMinutes(8));
        Say($"up exited {_up.ExitCode} in {_up.Elapsed.TotalSeconds:0.0} s");
    }

    [OneTimeTearDown]
    public async Task Destroy()
    {
        var destroy = await _cli.RunAsync(["destroy", "--stack", Stack, "--yes"], timeout: TimeSpan.FromMinutes(3));
        Say($"destroy exited {destroy.ExitCode} in {destroy.Elapsed.TotalSeconds:0.0} s");
        _project.Dispose();
        destroy.ExitCode.Should().Be(0, destroy.ToString());
        File.Exists($"/run/netns/ipsec-testbed-{Stack}").Should().BeFalse("destroy removes the stack's namespace");
        Testbed.Machine.Processes.All().Where(p => p.Argv.Any(a => a.StartsWith($"umid=ipsec-testbed-{Stack}", StringComparison.Ordinal)))
            .Should().BeEmpty("destroy stops the guests");
    }

    Task<CliResult> Ssh(string host, string script, TimeSpan? timeout = null) =>
        _cli.RunAsync(["ssh", host, "--stack", Stack, "--", script], timeout: timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>The SAs between the gateways as the kernel holds them, keys left out: <c>esp 0xc2… tunnel enc cbc(aes) 128 …</c>.</summary>
    async Task<List<string>> KernelSas(string host)
    {
        var r = await Ssh(host, "ip xfrm state list | awk '$1==\"proto\"{if (sa) print sa; sa=$2\" \"$4\" \"$8} " +
                                "$1==\"enc\"{sa=sa\" enc \"$2\" \"(length($3)-2)*4} $1==\"auth-trunc\"{sa=sa\" auth-trunc \"$2\" \"(length($3)-2)*4\" \"$4} " +
                                "$1==\"aead\"{sa=sa\" aead \"$2\" \"(length($3)-2)*4\" \"$4} END{if (sa) print sa}'");
        r.ExitCode.Should().Be(0, r.ToString());
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    [Test, Order(1)]
    public async Task Up_negotiates_the_declared_child_SA_that_both_kernels_hold_and_a_second_up_changes_nothing()
    {
        _up.ExitCode.Should().Be(0, _up.ToString());
        _up.Stdout.Should().MatchRegex($@"{Sender}\s+child-sa\s+testbed {SenderAddr}<>{ReceiverAddr}\s+changed");
        foreach (var host in new[] { Sender, Receiver })
        {
            _up.Stdout.Should().MatchRegex($@"{host}\s+charon\s+charon-systemd\s+changed\s+stopped → running");
            _up.Stdout.Should().MatchRegex($@"{host}\s+swanctl-conn\s+testbed\s+changed");
        }

        var again = await _cli.RunAsync(["up", "--stack", Stack, "--yes"]);
        again.ExitCode.Should().Be(0, again.ToString());
        again.Stdout.Should().Contain("no changes: every setting is as the stack declares");
        var refresh = await _cli.RunAsync(["refresh", "--stack", Stack, "--expect-no-changes"]);
        refresh.ExitCode.Should().Be(0, $"the negotiated SA reads as declared: {refresh}");

        // The SPIs are the daemons' choice; everything else is the declaration's, and both kernels hold the same pair.
        var (a, b) = (await KernelSas(Sender), await KernelSas(Receiver));
        Say("kernel SAs on " + Sender + ": " + string.Join("; ", a));
        // Two SAs, or a few more while a rekey's old inbound SA lingers (strongSwan keeps it 5 s).
        foreach (var sas in new[] { a, b })
            sas.Should().HaveCountGreaterThanOrEqualTo(2).And.OnlyContain(sa => sa.StartsWith("esp 0x") && sa.EndsWith(" tunnel auth-trunc hmac(sha1) 160 96 enc cbc(aes) 128"));
        b.Intersect(a).Should().HaveCountGreaterThanOrEqualTo(2, "the responder holds the SAs the initiator holds");
        a.Select(sa => sa.Split(' ')[1]).Should().OnlyHaveUniqueItems().And.NotContain(["0x00001001", "0x00001002"], "no manual SA was installed");
    }

    [Test, Order(2)]
    public async Task A_rekey_every_15_s_under_a_one_minute_stream_stalls_it_less_than_the_bound_and_drops_nothing()
    {
        (await Ssh(Receiver, "netserver -p 12865 >/dev/null 2>&1 || pgrep -x netserver >/dev/null")).ExitCode.Should().Be(0);
        const string counters = "cat /proc/net/xfrm_stat";
        var before = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        foreach (var host in new[] { Sender, Receiver }) before[host] = RekeyRun.ParseCounters((await Ssh(host, counters)).Stdout);
        foreach (var host in new[] { Sender, Receiver })
            before[host].Keys.Should().Contain(RekeyRun.DropCounters, $"{host}'s kernel counts xfrm errors (CONFIG_XFRM_STATISTICS), or 'drops nothing' would prove nothing");

        // The receiver's kernel reports every SA its daemon installs; netperf reports its rate every second.
        var monitor = _cli.Start(["ssh", Receiver, "--stack", Stack, "--", $"TZ=UTC timeout {StreamSeconds + 10} ip -ts xfrm monitor SA; true"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Say($"a {StreamSeconds} s TCP stream {Sender} → {Receiver} through the tunnel, rekeyed every {RekeySeconds} s");
        var stream = await Ssh(Sender, $"netperf -H 10.2.0.1 -L 10.1.0.1 -p 12865 -l {StreamSeconds} -D {Interval} -t TCP_STREAM -- -m 16384",
            TimeSpan.FromSeconds(StreamSeconds + 60));
        var events = await monitor.WaitAsync(TimeSpan.FromSeconds(30));
        stream.ExitCode.Should().Be(0, stream.ToString());

        var after = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        foreach (var host in new[] { Sender, Receiver }) after[host] = RekeyRun.ParseCounters((await Ssh(host, counters)).Stdout);

        var windows = RekeyRun.ParseInterim(stream.Stdout);
        var start = windows.Count > 0 ? windows[0].EndsAt - windows[0].Seconds : 0;
        var end = windows.Count > 0 ? windows[^1].EndsAt : 0;
        var rekeys = XfrmMonitor.Installed(events.Stdout, ReceiverAddr).Where(t => t > start && t < end).ToList();
        var runs = new[] { Sender, Receiver }.ToDictionary(h => h, h => new RekeyRun(windows, rekeys, before[h], after[h]));
        var run = runs[Receiver];
        var stall = run.LongestStall(Interval);
        var report = Report(run, stall, runs);
        Say(report);
        WriteResults(run, report);

        windows.Should().HaveCountGreaterThan(StreamSeconds / 2, $"netperf reports its rate every {Interval} s: {stream}");
        run.RekeyWindows.Should().HaveCountGreaterThanOrEqualTo(StreamSeconds / RekeySeconds - 1,
            $"a child SA rekeyed every {RekeySeconds} s is renewed several times in {StreamSeconds} s: {events.Stdout.Length} characters of monitor output");
        stall.Should().BeLessThan(StallBound, report);
        foreach (var (host, r) in runs)
            foreach (var counter in RekeyRun.DropCounters)
                r.Dropped(counter).Should().Be(0, $"{host} must drop nothing for an unknown SPI or the replay window across a rekey ({counter}): {report}");
    }

    [Test, Order(3)]
    public async Task Only_IKE_and_ESP_with_the_negotiated_SPIs_cross_between_the_gateways_across_a_rekey()
    {
        var ct = CancellationToken.None;
        await using var d = Deployment.Open(_project.Project, Stack, "verify", new ProgressReporter(), exclusive: false);
        await d.ReachAsync(bringUp: false, ct);
        var end = d.Topology.Capture ?? throw new InvalidOperationException("the local testbed names the end of the wire to capture on");
        var capture = new WireCapture(d.Shell(end.Host), end.Dev);
        var traffic = new WireTraffic(d.Spec, d.Shell(Sender), d.Shell(Receiver));

        // The SPIs are the daemons' choice: those the sender's kernel holds before and after, and every SA it was given or
        // lost in between (a rekey is forced inside the capture, and the 15 s one may come too).
        const string events = "/tmp/tb-ike-sa-events.txt";
        var spis = new List<(string, string, string, uint)>(await SasNow(Sender));
        var monitor = await RemoteJob.StartAsync(d.Shell(Sender), "ip xfrm monitor", $"env TZ=UTC ip -ts xfrm monitor SA >{events}", null, ct);
        var packets = new List<WirePacket>();
        try
        {
            await capture.StartAsync(ct);
            var rekey = await d.Shell(Sender).RunAsync(new RemoteCommand($"swanctl --rekey --child {IkeSettings.Connection}"), "rekey", TimeSpan.FromSeconds(30), ct);
            rekey.Ok.Should().BeTrue(rekey.Stderr);
            await traffic.SendAsync(ct);
        }
        finally
        {
            packets.AddRange(await capture.StopAsync(ct));
            var seen = await monitor.StopAsync(then: $"cat {events}; rm -f {events}", ct: ct);
            spis.AddRange(XfrmMonitor.Sas(seen.Stdout));
        }
        spis.AddRange(await SasNow(Sender));

        var look = new WireLook(packets, d.Spec, spis, traffic.Marker);
        Say($"wire on {capture.Where}: {look.Summary}; SPIs the sender held: {spis.Distinct().Count()}");
        look.Forward.Should().HaveCountGreaterThan(100, "the stream crossed the wire");
        look.IkeMessages.Should().BeGreaterThan(0, "the forced rekey's IKE exchange crossed during the capture");
        look.Violations.Should().BeEmpty($"only IKE and ESP with negotiated SPIs may cross: {look.Summary}; first: {string.Join("; ", look.Violations.Take(5))}");
        look.SiteLeaks.Should().BeEmpty("the sites' packets travel inside the tunnel");
        look.MarkerFrames.Should().Be(0, "ESP encrypts the marker");
    }

    /// <summary>The SAs a gateway's kernel holds now, as <c>ip xfrm monitor</c> would name them.</summary>
    async Task<IEnumerable<(string, string, string, uint)>> SasNow(string host)
    {
        var r = await Ssh(host, Testbed.Resources.XfrmText.StateScript);
        r.ExitCode.Should().Be(0, r.ToString());
        return Testbed.Resources.XfrmText.Blocks(r.Stdout)
            .SelectMany(b => b.Lines.Where(w => w is ["proto", _, "spi", ..]).Take(1).Select(w => (w[1], b.Src, b.Dst, Convert.ToUInt32(w[3], 16))));
    }

    [Test, Order(4)]
    public async Task A_wrong_pre_shared_key_on_one_side_fails_up_on_the_initiator_with_the_daemons_reason_and_leaves_no_SA()
    {
        // The responder's daemon is given another key in memory (its file stays as declared, so `up` has nothing to repair
        // there) and the tunnel is closed: the next `up` must negotiate again, and fail.
        var wrong = "secrets {\n  ike-wrong {\n    id-local = " + ReceiverAddr + "\n    id-remote = " + SenderAddr + "\n    secret = 0x" +
                    string.Concat(Enumerable.Repeat("00", 32)) + "\n  }\n}\n";
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(wrong));
        (await Ssh(Receiver, $"umask 077; echo {b64} | base64 -d > /run/wrong-psk.conf && swanctl --load-creds --clear --noprompt --file /run/wrong-psk.conf >/dev/null 2>&1; rm -f /run/wrong-psk.conf"))
            .ExitCode.Should().Be(0);
        (await Ssh(Sender, "swanctl --terminate --ike testbed --timeout 10 >/dev/null 2>&1; true")).ExitCode.Should().Be(0);

        var up = await _cli.RunAsync(["up", "--stack", Stack, "--yes"], timeout: TimeSpan.FromMinutes(3));
        Say($"up with a wrong key on {Receiver}: exit {up.ExitCode} in {up.Elapsed.TotalSeconds:0.0} s");
        up.ExitCode.Should().NotBe(0, up.ToString());
        up.Output.Should().MatchRegex($@"{Sender}\s+child-sa\s+testbed {SenderAddr}<>{ReceiverAddr}\s+failed", "the initiator's step fails");
        up.Output.Should().Contain("AUTHENTICATION_FAILED", "the daemon's reason reaches the user").And.Contain($"the IKEv2 negotiation with {ReceiverAddr} failed");
        up.Output.Should().NotMatchRegex("[0-9a-fA-F]{64}", "no 256-bit key, the declared pre-shared key included, shows in hex");
        foreach (var host in new[] { Sender, Receiver })
            (await KernelSas(host)).Should().BeEmpty($"a failed negotiation installs no SA on {host}");

        // Put the declared key back into the responder's daemon; the next up brings the tunnel back.
        (await Ssh(Receiver, "swanctl --load-creds --clear --noprompt >/dev/null 2>&1")).ExitCode.Should().Be(0);
        var repaired = await _cli.RunAsync(["up", "--stack", Stack, "--yes"], timeout: TimeSpan.FromMinutes(3));
        repaired.ExitCode.Should().Be(0, repaired.ToString());
        (await KernelSas(Sender)).Should().HaveCount(2);
    }

    /// <summary>
    /// Manual keys and IKEv2 at the same suite on the same guests, visited in turn (IKE, manual, manual, IKE, IKE, manual) so
    /// that the machine's drift falls on both: the kernel does the same ESP either way, so under IKEv2 the stream must be
    /// neither slower by more than <see cref="KeyingTolerance"/> (a different suite negotiated, a second policy on the
    /// path) nor faster by more than <see cref="NoTunnelMargin"/> (no tunnel at all). The report says whether they match: the shift and its interval, and the
    /// smallest shift the run could see.
    /// </summary>
    [Test, Order(5)]
    public async Task Manual_and_IKEv2_keying_of_the_same_suite_carry_the_stream_alike()
    {
        var samples = new Dictionary<Keying, List<double>> { [Keying.Ikev2] = [], [Keying.Manual] = [] };
        Keying? current = Keying.Ikev2;
        try
        {
            foreach (var keying in new[] { Keying.Ikev2, Keying.Manual, Keying.Manual, Keying.Ikev2, Keying.Ikev2, Keying.Manual })
            {
                if (keying != current)
                {
                    current = null;
                    _project.WriteStack(Stack, keying == Keying.Ikev2 ? Yaml : ManualYaml);
                    var up = await _cli.RunAsync(["up", "--stack", Stack, "--yes"], timeout: TimeSpan.FromMinutes(3));
                    up.ExitCode.Should().Be(0, $"switching to {keying} keying: {up}");
                    current = keying;
                }
                (await Ssh(Receiver, "pgrep -x netserver >/dev/null || netserver -p 12865 >/dev/null 2>&1")).ExitCode.Should().Be(0);
                for (var i = 0; i < SamplesPerVisit; i++)
                {
                    var r = await Ssh(Sender, "netperf -P 0 -H 10.2.0.1 -L 10.1.0.1 -p 12865 -l 2 -t TCP_STREAM -- -m 16384");
                    r.ExitCode.Should().Be(0, r.ToString());
                    samples[keying].Add(double.Parse(r.Stdout.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture));
                }
            }
        }
        finally
        {
            // The fixture's teardown destroys the stack as IKEv2 declares it.
            if (current != Keying.Ikev2)
            {
                _project.WriteStack(Stack, Yaml);
                await _cli.RunAsync(["up", "--stack", Stack, "--yes"], timeout: TimeSpan.FromMinutes(3));
            }
        }

        var verdict = new Testbed.Measurement.Detection.Comparison("throughput", Testbed.Measurement.Detection.Worse.Lower,
            samples[Keying.Manual], samples[Keying.Ikev2]).Judge(KeyingTolerance, alpha: 0.01);
        var line = verdict.Describe("IKEv2 against manual keying, esp aes128-sha1 tunnel", "Mbit/s");
        var match = verdict.WorseningLow <= 0 && verdict.WorseningHigh >= 0 ? "they match: the interval holds no difference" : "they differ";
        Say($"{line}; {match}");
        File.AppendAllText(Path.Combine(Repo.Results, "ike-vs-manual.txt"), $"{DateTime.UtcNow:u} {line}; {match}\n");
        verdict.Regressed.Should().BeFalse(line);
        // Much faster than its manual twin is a stream that skipped the tunnel: what a manual SA misread as the daemon's did
        // once (4.7 times as fast). A shared machine alone made IKEv2 look 30 % faster in one CI run, hence the wide margin.
        new Testbed.Measurement.Detection.Comparison("throughput", Testbed.Measurement.Detection.Worse.Higher, samples[Keying.Manual], samples[Keying.Ikev2])
            .Judge(NoTunnelMargin, alpha: 0.01).Regressed.Should().BeFalse($"IKEv2 keying cannot carry ESP half again as fast as manual keys: {line}");
    }

    const int SamplesPerVisit = 3;

    /// <summary>How much slower IKEv2 keying may carry the stream than manual keys of the same suite.</summary>
    const double KeyingTolerance = 0.10;

    /// <summary>How much faster it may seem before the stream is taken to have bypassed the tunnel.</summary>
    const double NoTunnelMargin = 0.5;

    /// <summary>The same stack keyed by hand: the IKE part (the declaration's last lines) replaced.</summary>
    static readonly string ManualYaml = Yaml[..Yaml.IndexOf("    keying: ikev2", StringComparison.Ordinal)] + "    keying: manual\n";

    static string Report(RekeyRun run, double stall, IReadOnlyDictionary<string, RekeyRun> runs)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"stream: {run.Windows.Count} windows, typical {run.Typical:0} Mbit/s (Hodges-Lehmann center)");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"rekeys seen on the receiver: {run.RekeyWindows.Count} (rekey_time {RekeySeconds} s; {run.Rekeys.Count} inbound SAs installed, those within one window counted once)");
        s.AppendLine(CultureInfo.InvariantCulture, $"longest stall: {stall:0.00} s (bound {StallBound:0.0} s)");
        if (run.Dips.Count > 0)
            s.AppendLine(CultureInfo.InvariantCulture,
                $"dip in the window of each rekey, against the windows {RekeyRun.Near + 1}-{RekeyRun.Far} away on either side: " +
                $"{string.Join(", ", run.Dips.Select(d => $"{d.Dip * 100:0} %"))} (worst {run.Dips.Max(d => d.Dip) * 100:0} %)");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"the same measure where no rekey was, 90th percentile: {run.Noise * 100:0} % (a rekey's dip under that is the stream's own wobble)");
        foreach (var (host, r) in runs)
            s.AppendLine($"{host} xfrm drops: " + string.Join(", ", RekeyRun.DropCounters.Select(c => $"{c} {r.Dropped(c)}")));
        return s.ToString().TrimEnd();
    }

    static void WriteResults(RekeyRun run, string report)
    {
        var dir = Path.Combine(Repo.Results, "ike-rekey-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var t0 = run.Windows.Count > 0 ? run.Windows[0].EndsAt - run.Windows[0].Seconds : 0;
        var tsv = new StringBuilder("seconds\tmbits\n");
        foreach (var w in run.Windows) tsv.AppendLine(CultureInfo.InvariantCulture, $"{w.EndsAt - t0:0.000}\t{w.Mbits:0.00}");
        tsv.AppendLine("# rekeys (seconds): " + string.Join(" ", run.Rekeys.Select(r => (r - t0).ToString("0.000", CultureInfo.InvariantCulture))));
        File.WriteAllText(Path.Combine(dir, "stream.tsv"), tsv.ToString());
        File.WriteAllText(Path.Combine(dir, "report.txt"), report + "\n");

        var plot = new ScottPlot.Plot();
        var line = plot.Add.Scatter(run.Windows.Select(w => w.EndsAt - t0).ToArray(), run.Windows.Select(w => w.Mbits).ToArray());
        line.LegendText = "TCP stream, Mbit/s per second (netperf -D 1)";
        foreach (var (r, i) in run.RekeyWindows.Select((x, i) => (x.At, i)))
        {
            var v = plot.Add.VerticalLine(r - t0);
            v.LinePattern = ScottPlot.LinePattern.Dashed;
            v.Color = ScottPlot.Colors.Gray;
            if (i == 0) v.LegendText = "rekey: a new inbound SA on the receiver";
        }
        plot.Title($"Throughput across IKEv2 rekeys (rekey_time {RekeySeconds} s)");
        plot.XLabel("seconds into the stream");
        plot.YLabel("Mbit/s");
        plot.Axes.SetLimitsY(0, run.Windows.Count > 0 ? run.Windows.Max(w => w.Mbits) * 1.15 : 1);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        var png = Path.Combine(dir, "rekey.png");
        plot.SavePng(png, 1000, 420);
        TestContext.AddTestAttachment(png, "throughput across rekeys");
        Say($"plot and samples: {dir}");
    }
}
