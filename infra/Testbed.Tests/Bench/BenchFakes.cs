using Testbed.Bench;
using Testbed.Measurement;

namespace Testbed.Tests.Bench;

/// <summary>Synthetic bench data: cells with a chosen throughput and confidence interval, no host involved.</summary>
public static class BenchFakes
{
    public static readonly RunParameters Run = new(2, 3, 3, 95, 10);

    public static BenchMatrix Matrix(params Experiment[] experiments) =>
        new("test", "a test matrix", Run.Seconds, new IterationSpec(Run.MaxIterations, Run.MinIterations),
            new ConfidenceSpec(Run.ConfidenceLevel, Run.IntervalWidthPct), experiments);

    public static Experiment Throughput(string[] cases, int[] sizes, string[]? links = null) =>
        new("throughput", Figure.Throughput, cases, sizes, links ?? ["unshaped"], ["tunnel"], [1500], Tunings: ["stock"]);

    public static Experiment MtuSweep(string[] cases, int[] mtus, bool max = false) =>
        new("mtu", Figure.Mtu, cases, [16384], ["unshaped"], ["tunnel"], mtus, Tunings: ["tuned"], MaxMtu: max);

    public static Experiment Ablation(string[] cases) =>
        new("ablation", Figure.Ablation, cases, [16384], ["unshaped"], ["tunnel"], [1500], Steps: ["stock", "tcp", "coalescing", "jumbo"]);

    public static Experiment Modes(string[] cases) =>
        new("modes", Figure.Modes, cases, [16384], ["unshaped"], ["tunnel", "transport"], [1500], Tunings: ["tuned"]);

    /// <summary>A netperf result of <paramref name="mbps"/> with a full interval width of <paramref name="ciPct"/> per cent.</summary>
    public static CaseResult Result(CellKey cell, double mbps, double? ciPct = 4, double hostCpu = 60)
    {
        var netperf = new NetperfResult(mbps, ciPct, 95, 3, 2.0, cell.MessageSize, 87380, 87380, 1448, 1_000_000, 1_000_000, 0);
        var shares = new CpuShares(80, 0, 10, 2, 5, 0, 0, 3);
        var cpu = new List<GatewayCpu>
        {
            new("gw-a", "sender", new CpuUse(CpuSources.GuestProcStat, 6, 97, shares), new CpuUse(CpuSources.HostUmlProcesses, 6, hostCpu, null)),
            new("gw-b", "receiver", new CpuUse(CpuSources.GuestProcStat, 6, 90, shares), new CpuUse(CpuSources.HostUmlProcesses, 6, hostCpu * 0.8, null)),
        };
        return new CaseResult(new CaseKey(cell.Protection, cell.Mode, cell.MessageSize, cell.Mtu, "test"), cell.Protection,
            DateTimeOffset.Parse("2026-11-26T02:00:00Z"), 8, "netperf …", netperf, cpu, CpuSources.HostUmlProcesses, hostCpu * 1.8 / mbps, []);
    }

    public static BenchRecord Ok(CellKey cell, double mbps, double? ciPct = 4, string stack = "test", RunParameters? run = null) =>
        new(cell, run ?? Run, stack, "test", "s1", CellStatus.Ok, DateTimeOffset.Parse("2026-11-26T02:00:10Z"), Result(cell, mbps, ciPct));

    public static BenchRecord Failed(CellKey cell, string error) =>
        new(cell, Run, "test", "test", "s1", CellStatus.Failed, DateTimeOffset.Parse("2026-11-26T02:00:10Z"), Error: error);

    public static CellKey Cell(string protection, int size = 16384, string link = "unshaped", int mtu = 1500, string tuning = "stock", string mode = "tunnel") =>
        new(protection, mode, size, link, mtu, tuning);

    public static BenchSession Session(int maxMtu = 65500) => new("s1", DateTimeOffset.Parse("2026-11-26T01:59:00Z"), "test", Run, 10, 0, "about 1 min",
        new BenchEnvironment("test", "local", "local: two user-mode Linux guests", "0.1.0", "10.0.0", "vm", "6.18.44", "AMD EPYC", 2,
            [new GatewayVersions("gw-a", "gw-a", "6.1.176", "x86_64", "Netperf version 2.7.0", "ip utility, iproute2-6.1.0", 1, "UML")]), maxMtu);

    /// <summary>Joins records with a matrix the way the bench does.</summary>
    public static BenchData Data(BenchMatrix matrix, IEnumerable<BenchRecord> records, int maxMtu = 65500) =>
        BenchData.Join(matrix, "test", maxMtu, 1500, records.ToList(), [Session(maxMtu)]);
}
