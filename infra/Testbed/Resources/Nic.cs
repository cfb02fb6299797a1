using System.Text.RegularExpressions;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>Interface names as the kernel allows them (IFNAMSIZ 16, no slash or blank).</summary>
public static partial class Ifname
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")]
    private static partial Regex Pattern();
}

/// <summary>An interrupt coalescing parameter, by its <c>ethtool -C</c> name: <c>tx-usecs 64</c>.</summary>
public sealed record NicCoalesce : Resource
{
    public required string Dev { get; init; }
    public required string Param { get; init; }
    public required int Value { get; init; }
    public bool FromProfile { get; init; }

    public override string Kind => "ethtool-coalesce";
    public override string Name => $"{Dev} {Param}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev, ["param"] = Param };
    public override Fields Desired => Fields.Scalar(Value.ToString());
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

    public override RemoteCommand Apply(Reading live) => Set(Value.ToString());

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Set(v) : RemoteCommand.Nothing;

    // ethtool exits 80 when the value is already set; that is success here.
    RemoteCommand Set(string value) => new($"{Sh.Cmd("ethtool", "-C", Dev, Param, value)} || [ $? -eq 80 ]");

    public override bool MaySettle => true;
    public override bool BestEffort => FromProfile;
}

/// <summary>An offload feature, by its <c>ethtool -K</c> name: <c>gso on</c>.</summary>
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

    public override string Kind => "ethtool-offload";
    public override string Name => $"{Dev} {Feature}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev, ["feature"] = Feature };
    public override Fields Desired => Fields.Scalar(On ? "on" : "off");
    public override string ReadScript => Sh.Cmd("ethtool", "-k", Dev);

    public override Reading Parse(string output)
    {
        var longName = Features.GetValueOrDefault(Feature, Feature);
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != longName) continue;
            var words = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) break;
            if (words.Contains("[fixed]") && words[0] != (On ? "on" : "off"))
                return Reading.NotSupported($"{Dev} {longName} is fixed {words[0]}");
            return Reading.Of(Fields.Scalar(words[0]));
        }
        return Reading.NotSupported($"ethtool -k {Dev} shows no {longName}");
    }

    public override RemoteCommand Apply(Reading live) => Set(On ? "on" : "off");

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Set(v) : RemoteCommand.Nothing;

    RemoteCommand Set(string value) => new(Sh.Cmd("ethtool", "-K", Dev, Feature, value));
}

/// <summary>The MTU of the data NIC, as <c>ip link</c> sets it.</summary>
public sealed record LinkMtu : Resource
{
    public required string Dev { get; init; }
    public required int Mtu { get; init; }

    public override string Kind => "mtu";
    public override string Name => Dev;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev };
    public override Fields Desired => Fields.Scalar(Mtu.ToString());

    string SysPath => $"/sys/class/net/{Dev}/mtu";

    public override string ReadScript => Sh.ReadFirstLine(SysPath, "!missing");

    public override Reading Parse(string output) =>
        output.Trim() == "!missing" ? Reading.NotSupported($"no interface {Dev}") : Reading.Of(Fields.Scalar(output.Trim()));

    public override RemoteCommand Apply(Reading live) => Set(Mtu.ToString());

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Set(v) : RemoteCommand.Nothing;

    RemoteCommand Set(string mtu) => new(Sh.Cmd("ip", "link", "set", "dev", Dev, "mtu", mtu));
}
