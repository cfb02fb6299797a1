using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>The MTU of a NIC, as <c>ip link</c> sets it.</summary>
public sealed record LinkMtuId(string Host, string Dev) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.Mtu;
    public override string Name => Dev;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev };

    string SysPath => $"/sys/class/net/{Dev}/mtu";

    public override string ReadScript => Sh.ReadFirstLine(SysPath, "!missing");

    public override Reading Parse(string output) =>
        output.Trim() == "!missing" ? Reading.NotSupported($"no interface {Dev}") : Reading.Of(Fields.Scalar(output.Trim()));

    public override RemoteCommand Restore(Fields? original) => original?["value"] is { } v ? Set(v) : RemoteCommand.Nothing;

    internal RemoteCommand Set(string mtu) => new(Sh.Cmd("ip", "link", "set", "dev", Dev, "mtu", mtu));
}

/// <summary>The MTU of the data NIC, set to the stack's.</summary>
public sealed record LinkMtu : Resource
{
    public required string Dev { get; init; }
    public required int Mtu { get; init; }

    public override LinkMtuId Id => new(Host, Dev);
    public override Fields Desired => Fields.Scalar(Mtu.ToString());

    public override RemoteCommand Apply(Reading live) => Id.Set(Mtu.ToString());
}
