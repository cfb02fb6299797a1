using Testbed.Measurement;
using Verification.Performance;

namespace Verification.Unit;

/// <summary>Samples and baselines built by hand, for judging without a testbed.</summary>
public static class Cases
{
    public const string Esp = "esp-aes128-sha1";

    public static CaseResult Result(string protection = Esp, double mbps = 300, double cpuPerMbit = 0.5, int mtu = 1500,
        string source = CpuSources.HostUmlProcesses, double? otherLoad = 3)
    {
        var netperf = new NetperfResult(mbps, null, 95, 1, 2.0, 16384, 4194304, 4194304, 1386, 75_000_000, 75_000_000, 0);
        var cpu = new List<GatewayCpu>
        {
            new("gw-a", "sender", new CpuUse(CpuSources.GuestProcStat, 2, 90, new CpuShares(88, 0, 1, 0, 1, 0, 0, 10)), new CpuUse(source, 2, 80, null)),
            new("gw-b", "receiver", null, new CpuUse(source, 2, 70, null)),
        };
        return new CaseResult(new CaseKey(protection, "tunnel", 16384, mtu, "quick"), "ESP", DateTimeOffset.UnixEpoch, 2.4, "netperf …",
            netperf, cpu, source, cpuPerMbit, []) { OtherLoadPercent = otherLoad };
    }

    /// <summary>Samples of one case on one side: the CPU figures given, the ratio and throughput derived from them.</summary>
    public static IEnumerable<Taken> Samples(Side side, string protection, IEnumerable<double> cpuPerMbit, double ratioScale = 1,
        string source = CpuSources.HostUmlProcesses, int visits = 2) =>
        cpuPerMbit.Select((c, i) => new Taken(side, 1 + i % visits, Result(protection, 100 / c, c, source: source), 0,
            protection == "plain" ? null : ratioScale * 0.25 * 0.5 / c));

    /// <summary>Recorded CPU-per-Mbit/s samples of the local stack's ESP-AES128-SHA1 at 16 KiB, pinned guests, 2 s runs (2026-12-03).</summary>
    public static readonly double[] RecordedEsp = [0.7946, 0.68512, 0.79236, 0.70368, 0.61955, 0.7655, 0.77367, 0.75765];

    /// <summary>The same case with ESP packets walking a chain of 600 u32 filters on both gateways: about 45 % more CPU per Mbit/s.</summary>
    public static readonly double[] RecordedEspWithFilters = [1.05714, 1.0322, 0.76002, 0.76184, 1.26344, 1.14982, 1.47246, 1.07978];

    public static readonly Thresholds Thresholds = new(Alpha: 0.01, SameRunThreshold: 0.05);

    public static RunSamples Run(params IEnumerable<Taken>[] groups)
    {
        var run = new RunSamples();
        foreach (var t in groups.SelectMany(g => g)) run.Add(t);
        return run;
    }

    public static SampleKey Key(string protection = Esp, Side side = Side.Stack) => new(side, protection, "tunnel", 16384);
}
