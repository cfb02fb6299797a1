using System.Net;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Transport;

namespace Verification.Performance.Wire;

/// <summary>
/// Traffic for a wire check, sent across the protected path: a TCP connection and a ping that carry a marker (a random
/// string) in their payload, so a capture can tell whether payload is readable, then a short netperf stream.
/// </summary>
public sealed class WireTraffic(TestbedSpec spec, IHostShell sender, IHostShell receiver)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Marker { get; } = "TBWIRE" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));

    /// <summary>The protected path: between the sites in tunnel mode (the policy selects them), else between the links.</summary>
    public static (IPAddress Source, IPAddress Target) PathOf(TestbedSpec spec) => spec.Ipsec.Mode == IpsecMode.Tunnel
        ? (spec.Sender.SiteAddress.Address, spec.Receiver.SiteAddress.Address)
        : (spec.Sender.Address.Address, spec.Receiver.Address.Address);

    public async Task SendAsync(CancellationToken ct)
    {
        var (source, target) = PathOf(spec);
        var started = await receiver.RunAsync(new RemoteCommand("pkill -x netserver; netserver -4 -p " + NetperfRequest.ControlPort + " >/dev/null 2>&1"),
            "start netserver", Timeout, ct);
        if (!started.Ok) throw new InvalidOperationException($"netserver did not start on {receiver.Name}: {started.Stderr.Trim()}");
        try
        {
            var hex = Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(Marker[..16])).ToLowerInvariant();
            // bash for /dev/tcp; the route to the peer's site picks the site address as source in tunnel mode. The
            // marker goes first: a capture on a busy machine falls behind during the stream, and frames still queued
            // for it when it is stopped are lost (plain IP's marker was lost that way: 1 of ~7 frames, then none).
            var script =
                $"sleep 0.3; bash -c {Sh.Quote($"exec 3<>/dev/tcp/{target}/{NetperfRequest.ControlPort} && printf %s {Marker} >&3; sleep 0.3; exec 3>&-")} 2>/dev/null\n" +
                $"ping -c 3 -i 0.2 -W 1 -p {hex} -I {source} {target} >/dev/null 2>&1\n" +
                $"netperf -P 0 -H {target} -L {source} -t TCP_STREAM -l 2 -- -m 16384 >/dev/null 2>&1\n" +
                "true";
            await sender.RunAsync(new RemoteCommand(script), "send wire-check traffic", Timeout, ct);
        }
        finally
        {
            await receiver.RunAsync(new RemoteCommand("pkill -x netserver; true"), "stop netserver", Timeout, CancellationToken.None);
        }
    }
}
