using System.Text.Json.Serialization;

namespace Testbed.Bench;

/// <summary>
/// What one cell of the matrix measures, in full: the protection (<c>plain</c>, <c>esp-aes128-sha1</c> …), the IPsec
/// mode, the netperf message size, the link (<c>10mbit</c> … <c>unshaped</c>), the MTU and the tuning level. Two
/// experiments that need the same cell share one measurement.
/// </summary>
public sealed record CellKey(string Protection, string Mode, int MessageSize, string Link, int Mtu, string Tuning)
{
    /// <summary>The cells that share a provisioned link and host configuration, and so one plain-IP reference.</summary>
    [JsonIgnore]
    public GroupKey Group => new(Mode, Link, Mtu, Tuning);

    [JsonIgnore]
    public bool IsPlain => Protection == "plain";

    /// <summary>Plain IP in the same group at the same size: the reference of this cell's ratio.</summary>
    [JsonIgnore]
    public CellKey PlainReference => this with { Protection = "plain" };

    public override string ToString() => $"{Protection} {Mode} {MessageSize} B {Link} mtu {Mtu} {Tuning}";
}

/// <summary>A mode, link, MTU and tuning level: what stays provisioned while suites and message sizes change.</summary>
public sealed record GroupKey(string Mode, string Link, int Mtu, string Tuning)
{
    public override string ToString() => $"{Mode} {Link} mtu {Mtu} {Tuning}";
}

/// <summary>How netperf runs every cell: run length, <c>-i max,min</c> and <c>-I level,width</c>.</summary>
public sealed record RunParameters(int Seconds, int MaxIterations, int MinIterations, int ConfidenceLevel, double IntervalWidthPct)
{
    public override string ToString() =>
        $"{Seconds} s, -i {MaxIterations},{MinIterations} -I {ConfidenceLevel},{IntervalWidthPct.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
