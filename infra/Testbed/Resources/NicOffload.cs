using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>An offload feature of a NIC, by its <c>ethtool -K</c> name.</summary>
public sealed record NicOffloadId(string Host, string Dev, string Feature) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.EthtoolOffload;
    public override string Name => $"{Dev} {Feature}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev, ["feature"] = Feature };
    public override string ReadScript => Sh.Cmd("ethtool", "-k", Dev);

    /// <summary>The feature's state; one the driver marks <c>[fixed]</c> says so, for the declaration to judge.</summary>
    public override Reading Parse(string output)
    {
        var longName = NicOffload.Features.GetValueOrDefault(Feature, Feature);
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != longName) continue;
            var words = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) break;
            return new Reading(Fields.Scalar(words[0]), Fixed: words.Contains("[fixed]") ? $"{Dev} {longName} is fixed {words[0]}" : null);
        }
        return Reading.NotSupported($"ethtool -k {Dev} shows no {longName}");
    }

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Set(v) : RemoteCommand.Nothing;

    internal RemoteCommand Set(string value) => new(Sh.Cmd("ethtool", "-K", Dev, Feature, value));
}

/// <summary>An offload feature switched on or off: <c>gso on</c>.</summary>
public sealed record NicOffload : Resource
{
    /// <summary>Short names that <c>ethtool -K</c> takes and the long names <c>ethtool -k</c> prints.</summary>
    public static readonly IReadOnlyDictionary<string, string> Features = new Dictionary<string, string>
    {
        ["rx"] = "rx-checksumming",
        ["tx"] = "tx-checksumming",
        ["sg"] = "scatter-gather",
        ["tso"] = "tcp-segmentation-offload",
        ["gso"] = "generic-segmentation-offload",
        ["gro"] = "generic-receive-offload",
        ["lro"] = "large-receive-offload",
        ["rxvlan"] = "rx-vlan-offload",
        ["txvlan"] = "tx-vlan-offload",
        ["rxhash"] = "receive-hashing",
    };

    public required string Dev { get; init; }
    public required string Feature { get; init; }
    public required bool On { get; init; }

    public override NicOffloadId Id => new(Host, Dev, Feature);
    public override Fields Desired => Fields.Scalar(On ? "on" : "off");

    public override RemoteCommand Apply(Reading live) => Id.Set(On ? "on" : "off");
}
