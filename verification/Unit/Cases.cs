using Testbed.Measurement;

namespace Verification.Unit;

/// <summary>Measured cases built by hand, for judging without a testbed.</summary>
public static class Cases
{
    public static CaseResult Measured(string protection = "esp-aes128-sha1", double mbps = 300, double? confidPct = 10,
        double cpuPerMbit = 0.5, double? ratio = 0.2, double? ratioHalfWidth = 0.07, int mtu = 1500, string source = CpuSources.HostUmlProcesses)
    {
        var netperf = new NetperfResult(mbps, confidPct, 95, 3, 4.0, 16384, 4194304, 4194304, 1386, 150_000_000, 150_000_000, 0);
        var cpu = new List<GatewayCpu>
        {
            new("gw-a", "sender", new CpuUse(CpuSources.GuestProcStat, 12, 90, new CpuShares(88, 0, 1, 0, 1, 0, 0, 10)), new CpuUse(source, 12, 80, null)),
            new("gw-b", "receiver", new CpuUse(CpuSources.GuestProcStat, 12, 80, new CpuShares(78, 0, 1, 0, 1, 0, 0, 20)), new CpuUse(source, 12, 70, null)),
        };
        return new CaseResult(new CaseKey(protection, "tunnel", 16384, mtu, "quick"), "ESP", DateTimeOffset.UnixEpoch, 13, "netperf …",
            netperf, cpu, source, cpuPerMbit, [], ratio is { } r ? new Estimate(r, ratioHalfWidth) : null);
    }

    public static BaselineEntry Baseline(string protection = "esp-aes128-sha1", double mbps = 300, double? halfWidth = 0.05,
        double? ratio = 0.2, double? ratioHalfWidth = 0.07, double cpuPerMbit = 0.5, int mtu = 1500, string source = CpuSources.HostUmlProcesses) =>
        new(protection, "tunnel", 16384, mtu, "quick", mbps, halfWidth, ratio, ratioHalfWidth, cpuPerMbit, source, DateTimeOffset.UnixEpoch);

    public static readonly Thresholds Thresholds = new(
        new MetricThreshold(0.20, 0.35, ["local", "ssh"]),
        new MetricThreshold(0.40, 0.60, ["local", "ssh"]),
        new MetricThreshold(0.10, 0.30, ["ssh"]));
}
