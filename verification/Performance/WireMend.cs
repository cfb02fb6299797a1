using Testbed.Engine;
using Testbed.Model;
using Testbed.Providers;

namespace Verification.Performance;

/// <summary>
/// A wire that carries nothing, put right where the provider may (the local guests' latched NIC:
/// <see cref="IHostProvider.RepairWireAsync"/>), with the stack's settings put back on it, since a reset link loses its
/// routes. Shared by a sample whose netperf failed and by the wire checks, which look before they send.
/// </summary>
public static class WireMend
{
    /// <summary>
    /// Null when the wire carries pings both ways or the provider leaves its hosts' NICs alone (a lab); else what was
    /// found and done, and whether the wire carries packets again under the stack's settings.
    /// </summary>
    public static async Task<WireRepair?> TryAsync(Deployment d, TestbedSpec spec, CancellationToken ct)
    {
        if (await d.Provider.RepairWireAsync(spec, d.Shell, ct) is not { } repair) return null;
        if (!repair.Cleared) return repair;
        var (_, applied) = await d.UpAsync(spec, ct);
        return applied.Failed
            ? new($"{repair.What}; putting the stack's settings back failed", false)
            : new($"{repair.What}; the stack's settings put back ({ProgressReporter.Summary(applied)})", true);
    }

    /// <summary>
    /// Before a check sends on the wire: a latched NIC is cleared and said so (<paramref name="who"/> names the check);
    /// one that stays silent fails the check with what was found, rather than each test after it with a missing packet.
    /// </summary>
    public static async Task EnsureAsync(Deployment d, TestbedSpec spec, string who, CancellationToken ct)
    {
        if (await TryAsync(d, spec, ct) is not { } mend) return;
        if (!mend.Cleared) throw new InvalidOperationException($"{who}: {mend.What}");
        ProgressReporter.Line($"{who}: {mend.What}");
    }
}
