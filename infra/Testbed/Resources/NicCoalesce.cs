using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>An interrupt coalescing parameter of a NIC, by its <c>ethtool -C</c> name.</summary>
public sealed record NicCoalesceId(string Host, string Dev, string Param) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.EthtoolCoalesce;
    public override string Name => $"{Dev} {Param}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev, ["param"] = Param };
    public override string ReadScript => Sh.Cmd("ethtool", "-c", Dev);

    // ethtool -c prints "rx-usecs:\t64" (or "n/a" for a knob the driver lacks); older versions print "rx-usecs: 64".
    public override Reading Parse(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != Param) continue;
            var v = line[(colon + 1)..].Trim();
            return int.TryParse(v, out _) ? Reading.Of(Fields.Scalar(v)) : Reading.NotSupported($"{Dev} has no {Param} ({v})");
        }
        return Reading.NotSupported($"ethtool -c {Dev} shows no {Param}");
    }

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Set(v) : RemoteCommand.Nothing;

    // ethtool exits 80 when the value is already set; that is success here.
    internal RemoteCommand Set(string value) => new($"{Sh.Cmd("ethtool", "-C", Dev, Param, value)} || [ $? -eq 80 ]");
}

/// <summary>An interrupt coalescing parameter set to a value: <c>tx-usecs 64</c>.</summary>
public sealed record NicCoalesce : Resource
{
    public required string Dev { get; init; }
    public required string Param { get; init; }
    public required int Value { get; init; }
    public bool FromTuning { get; init; }

    public override NicCoalesceId Id => new(Host, Dev, Param);
    public override Fields Desired => Fields.Scalar(Value.ToString());

    public override RemoteCommand Apply(Reading live) => Id.Set(Value.ToString());

    public override bool MaySettle => true;
    public override bool BestEffort => FromTuning;
}
