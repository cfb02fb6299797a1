using System.Text.Json;
using System.Text.Json.Serialization;

namespace Testbed.Resources;

/// <summary>What a setting is: a sysctl, an SA, a route, … Named in text as the tool that sets it names it.</summary>
[JsonConverter(typeof(ResourceKindJsonConverter))]
public enum ResourceKind { Package, Sysctl, EthtoolCoalesce, EthtoolOffload, Mtu, Link, Addr, Route, Qdisc, XfrmState, XfrmPolicy, Charon, SwanctlConn, ChildSa }

/// <summary>
/// The one table of what each kind is called and when it comes out. A kind added to the enum without a row here
/// fails the tests that walk every kind.
/// </summary>
public static class ResourceKindInfo
{
    /// <summary>Settings that stand alone: put back after the rest, in the order they were recorded.</summary>
    const int Independent = 9;

    // The rank orders teardown, first to last: a negotiated SA is closed before its connection is unloaded and the
    // daemon stopped, a policy goes before the SAs it uses, a route before the address it is sourced from, an address
    // before its link.
    static (string Name, int TeardownRank) Row(ResourceKind kind) => kind switch
    {
        ResourceKind.ChildSa => ("child-sa", 0),
        ResourceKind.XfrmPolicy => ("xfrm-policy", 1),
        ResourceKind.XfrmState => ("xfrm-state", 2),
        ResourceKind.SwanctlConn => ("swanctl-conn", 3),
        ResourceKind.Charon => ("charon", 4),
        ResourceKind.Route => ("route", 5),
        ResourceKind.Addr => ("addr", 6),
        ResourceKind.Link => ("link", 7),
        ResourceKind.Qdisc => ("qdisc", 8),
        ResourceKind.Package => ("package", Independent),
        ResourceKind.Sysctl => ("sysctl", Independent),
        ResourceKind.EthtoolCoalesce => ("ethtool-coalesce", Independent),
        ResourceKind.EthtoolOffload => ("ethtool-offload", Independent),
        ResourceKind.Mtu => ("mtu", Independent),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a resource kind without a name and teardown rank"),
    };

    extension(ResourceKind kind)
    {
        /// <summary>The kind as the state file, the plan and the step lines write it: <c>xfrm-state</c>, <c>ethtool-coalesce</c>, …</summary>
        public string Name => Row(kind).Name;

        /// <summary>Where settings of this kind come in a teardown: lower goes first.</summary>
        public int TeardownRank => Row(kind).TeardownRank;

        /// <summary>Taking it away takes the kernel SAs and policies an IKE daemon installed for it along (closing the child SA).</summary>
        public bool HoldsKernelIpsec => kind is ResourceKind.ChildSa;
    }

    public static IReadOnlyList<ResourceKind> All { get; } = Enum.GetValues<ResourceKind>();

    /// <summary>The kind a name stands for; null for a name no kind has (a state file from a newer tool, a typo).</summary>
    public static ResourceKind? Parse(string name) => All.Where(k => k.Name == name).Select(k => (ResourceKind?)k).FirstOrDefault();
}

/// <summary>Writes a kind by its name, so that state files keep <c>"kind": "xfrm-state"</c> and old ones still load.</summary>
sealed class ResourceKindJsonConverter : JsonConverter<ResourceKind>
{
    public override ResourceKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("a resource kind must be a string");
        return ResourceKindInfo.Parse(name) ?? throw new JsonException($"unknown resource kind '{name}'");
    }

    public override void Write(Utf8JsonWriter writer, ResourceKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
