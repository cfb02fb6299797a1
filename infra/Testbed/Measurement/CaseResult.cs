namespace Testbed.Measurement;

/// <summary>
/// Which measurement: the protection (<c>plain</c>, <c>esp-aes128-sha1</c> …), the IPsec mode, the netperf
/// message size, the link MTU and the profile that chose the run parameters. Baselines are keyed by it.
/// </summary>
public sealed record CaseKey(string Protection, string Mode, int MessageSize, int Mtu, string Profile)
{
    public override string ToString() => $"{Protection} {Mode} {MessageSize} B mtu {Mtu} ({Profile})";
}

/// <summary>
/// One gateway's CPU during a run: from its own /proc/stat, and from this machine when it is a local guest. A sample
/// on a local guest may skip the receiver's /proc/stat (its cost is read from outside): <see cref="ProcStat"/> is null then.
/// </summary>
public sealed record GatewayCpu(string Host, string Role, CpuUse? ProcStat, CpuUse? HostSide)
{
    /// <summary>The figure to judge cost by: what the host machine saw when it can see, else the gateway's own count.</summary>
    public CpuUse Best => HostSide ?? ProcStat ?? throw new InvalidOperationException($"{Host}: no CPU figure");
}

/// <summary>
/// One case as measured: netperf's result, both gateways' CPU over the same interval, what the SAs processed,
/// and the derived figures: CPU per Mbit/s (both gateways together) and the throughput ratio to plain IP
/// measured in the same run (null for plain IP itself, or until plain IP is known).
/// </summary>
/// <param name="CpuPerMbit">Per cent of one core, summed over both gateways, per Mbit/s of throughput, from <paramref name="CpuSource"/>.</param>
/// <param name="Pass">Which repetition of the whole set of cases this is, when a run measures them more than once.</param>
public sealed record CaseResult(
    CaseKey Key,
    string Label,
    DateTimeOffset Started,
    double WallSeconds,
    string Command,
    NetperfResult Netperf,
    IReadOnlyList<GatewayCpu> Cpu,
    string CpuSource,
    double CpuPerMbit,
    IReadOnlyList<SaDelta> Sas,
    Estimate? RatioToPlain = null,
    int Pass = 1)
{
    /// <summary>
    /// What else this machine did during the run, in per cent of one core (its busy time less the gateways'); null where
    /// the gateways are not seen from here. The noise of a local measurement: above a quarter of a core a sample is retried.
    /// </summary>
    public double? OtherLoadPercent { get; init; }

    public Estimate Throughput => new(Netperf.Mbps, Netperf.RelativeHalfWidth);

    public GatewayCpu CpuOf(string role) => Cpu.Single(c => c.Role == role);

    /// <summary>The gateway in <paramref name="role"/>, or null when the result has none (a file writes a blank, a chart leaves it out).</summary>
    public GatewayCpu? FindCpu(string role) => Cpu.FirstOrDefault(c => c.Role == role);
}
