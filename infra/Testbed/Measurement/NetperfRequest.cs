using System.Globalization;
using System.Net;
using Testbed.Model;

namespace Testbed.Measurement;

/// <summary>
/// One netperf TCP_STREAM test as section 3.1 of the paper runs it: one stream from the sender to the receiver,
/// a message size, a run length, and <c>-i max,min -I level,width</c> so netperf repeats the run until its mean
/// is known to the asked confidence (or the iterations run out).
/// </summary>
/// <param name="Target">The receiver's address (its site address in tunnel mode, its link address otherwise).</param>
/// <param name="Source">The sender's address the stream starts from (<c>-L</c>), so it matches the IPsec policy.</param>
/// <param name="IntervalWidthPct">Full width of the confidence interval in per cent of the mean (<c>-I 95,3</c>: ±1.5 %).</param>
public sealed record NetperfRequest(
    IPAddress Target,
    IPAddress Source,
    int MessageSize,
    int Seconds,
    int MaxIterations,
    int MinIterations,
    int ConfidenceLevel,
    double IntervalWidthPct)
{
    /// <summary>netserver's control port; the runner checks it listens before the client starts.</summary>
    public const int ControlPort = 12865;

    /// <summary>The omni output selectors the parser reads (<c>-k</c> prints them as KEY=value lines).</summary>
    public static readonly string[] OutputKeys =
    [
        "THROUGHPUT", "THROUGHPUT_UNITS", "THROUGHPUT_CONFID", "CONFIDENCE_LEVEL", "CONFIDENCE_INTERVAL",
        "CONFIDENCE_ITERATION", "ELAPSED_TIME", "LOCAL_SEND_SIZE", "LSS_SIZE_END", "RSR_SIZE_END", "TRANSPORT_MSS",
        "LOCAL_BYTES_SENT", "REMOTE_BYTES_RECVD", "LOCAL_TRANSPORT_RETRANS",
    ];

    /// <summary>
    /// A stream across the protected path of <paramref name="spec"/>: between the gateways' site addresses in tunnel
    /// mode (the policy selects the sites), between their link addresses in transport mode.
    /// </summary>
    public static NetperfRequest Across(TestbedSpec spec, int messageSize, int seconds, int maxIterations, int minIterations,
        int confidenceLevel, double intervalWidthPct)
    {
        var (target, source) = PathOf(spec);
        return new NetperfRequest(target, source, messageSize, seconds, maxIterations, minIterations, confidenceLevel, intervalWidthPct);
    }

    /// <summary>
    /// One netperf run, no <c>-i</c>/<c>-I</c>: a sample. Many short samples judged with rank statistics see more than a few
    /// long iterations whose mean a neighbour's burst moves (netperf's own interval assumes a quiet machine).
    /// </summary>
    public static NetperfRequest Sample(IPAddress target, IPAddress source, int messageSize, int seconds) =>
        new(target, source, messageSize, seconds, MaxIterations: 1, MinIterations: 1, ConfidenceLevel: 95, IntervalWidthPct: 100);

    /// <summary>A single run (<see cref="Sample"/>): the command line carries no <c>-i</c> or <c>-I</c>.</summary>
    public bool IsSample => MaxIterations == 1 && MinIterations == 1;

    /// <summary>
    /// Plain IP on the same hosts while a tunnel's SAs stay installed: between the link addresses, which the tunnel's
    /// policies (site to site) do not select. The reference of every ratio, measured beside the suite with no provisioning
    /// in between, so the two alternate sample by sample. Null in transport mode, where the policies select the link
    /// addresses themselves.
    /// </summary>
    public static (IPAddress Target, IPAddress Source)? PlainBeside(TestbedSpec spec) =>
        spec.Ipsec.Mode == IpsecMode.Tunnel && spec.Ipsec.Protection.Proto != IpsecProto.None
            ? (spec.Receiver.Address.Address, spec.Sender.Address.Address)
            : null;

    /// <summary>The protected path of <paramref name="spec"/>: site addresses in tunnel mode, link addresses otherwise.</summary>
    public static (IPAddress Target, IPAddress Source) PathOf(TestbedSpec spec) =>
        spec.Ipsec.Mode == IpsecMode.Tunnel
            ? (spec.Receiver.SiteAddress.Address, spec.Sender.SiteAddress.Address)
            : (spec.Receiver.Address.Address, spec.Sender.Address.Address);

    /// <summary>Why the request cannot run as asked, or null. netperf itself never runs fewer than 3 iterations with -i.</summary>
    public string? Problem =>
        MessageSize < 1 ? $"message size {MessageSize} is not positive"
        : Seconds < 1 ? $"run length {Seconds} s is not positive"
        : !IsSample && (MinIterations < 3 || MaxIterations < MinIterations) ? $"iterations -i {MaxIterations},{MinIterations}: netperf needs max >= min >= 3"
        : ConfidenceLevel is not (95 or 99) ? $"confidence level {ConfidenceLevel}: netperf knows 95 and 99"
        : IntervalWidthPct <= 0 ? $"confidence interval width {IntervalWidthPct} % is not positive"
        : null;

    /// <summary>The client command line; -P 0 drops the banner, -k prints the selected keys one per line.</summary>
    public string CommandLine => string.Join(' ',
        ["netperf", "-P", "0", "-t", "TCP_STREAM", "-H", Target, "-L", Source, "-l", Seconds,
        .. IsSample ? Array.Empty<object>() :
            ["-i", $"{MaxIterations},{MinIterations}", "-I", $"{ConfidenceLevel},{IntervalWidthPct.ToString(CultureInfo.InvariantCulture)}"],
        "--", "-m", MessageSize, "-k", string.Join(',', OutputKeys)]);

    /// <summary>How long the client may take: every iteration at full length plus connection setup, with room to spare.</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(MaxIterations * (Seconds + 5) + 60);
}
