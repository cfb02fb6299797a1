using Testbed.Model;
using Testbed.Providers;
using Testbed.Transport;

namespace Testbed.Local;

/// <summary>
/// The local guests' wire NIC can latch an error: UML's vector driver (arch/um/drivers/vector_kern.c) sets
/// <c>in_error</c> when a write to its packet socket fails with anything but EAGAIN or ENOBUFS, batched or not, and from
/// then on refuses every frame (NETDEV_TX_BUSY) until the link is closed. The link then carries nothing, for good, while
/// SSH (on the other NIC) still works. Seen twice on 2026-12-07 and once on 12-08 while the NIC moved one packet per
/// call (a stream stalled mid-sample; before this remedy every run on those guests after it failed; see
/// <see cref="Guests.KernelArgs"/>), never batched (<c>wire-io: vector</c>); provoked at will (one packet per call) by
/// taking this machine's end of the wire down for a moment. Closing and opening the guest's link clears the latch; it
/// drops the routes through it, which the caller puts back by applying the declaration again.
/// </summary>
public static class WireLatch
{
    /// <summary>
    /// Pings each gateway's peer across the wire; when either direction is silent, resets both gateways' data NIC and
    /// pings again. What it found and did; null when the wire carried both pings (nothing to clear).
    /// </summary>
    public static async Task<WireRepair?> ClearAsync(IReadOnlyList<GatewayHost> gateways, Func<string, IHostShell> shell, CancellationToken ct)
    {
        var silent = await SilentAsync(gateways, shell, ct);
        if (silent.Count == 0) return null;
        foreach (var g in gateways)
        {
            var nic = Sh.Quote(g.Nic);
            var r = await shell(g.Name).RunAsync(new RemoteCommand($"ip link set dev {nic} down && ip link set dev {nic} up"),
                $"reset {g.Nic}", TimeSpan.FromSeconds(30), ct);
            if (!r.Ok) return new($"the wire carried nothing from {And(silent)}; resetting {g.Name}'s {g.Nic} failed: {r.Stderr.Trim()}", false);
        }
        var still = await SilentAsync(gateways, shell, ct);
        return new($"the wire carried nothing from {And(silent)}: {And(gateways.Select(g => $"{g.Name}'s {g.Nic}"))} " +
                   (still.Count == 0 ? "reset, and it carries pings again" : $"reset, and it still carries nothing from {And(still)}"), still.Count == 0);
    }

    static string And(IEnumerable<string> names) => string.Join(" and ", names);

    /// <summary>The gateways whose ping to their peer's wire address got no answer.</summary>
    static async Task<List<string>> SilentAsync(IReadOnlyList<GatewayHost> gateways, Func<string, IHostShell> shell, CancellationToken ct)
    {
        // The gateways ping at once, each over its own SSH connection: a look at a wire that answers costs one ping's
        // time, not one per gateway (every wire check of the suite looks first).
        var silent = await Task.WhenAll(gateways.Select(async g =>
        {
            foreach (var peer in gateways.Where(p => p.Name != g.Name))
            {
                // Two tries a second apart: one lost echo on a busy guest is not a latched NIC.
                var r = await shell(g.Name).RunAsync(new RemoteCommand($"ping -c 2 -W 1 -q -I {g.Address.Address} {peer.Address.Address}"),
                    "ping the wire", TimeSpan.FromSeconds(15), ct);
                if (!r.Ok) return g.Name;
            }
            return null;
        }));
        return [.. silent.OfType<string>()];
    }
}
