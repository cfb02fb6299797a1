using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>A dummy interface (<c>ip link … type dummy</c>).</summary>
public sealed record DummyLinkId(string Host, string Dev) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.Link;
    public override string Name => Dev;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev };

    string FlagsPath => $"/sys/class/net/{Dev}/flags";

    public override string ReadScript => Sh.ReadFirstLine(FlagsPath, "!absent");

    public override Reading Parse(string output)
    {
        var text = output.Trim();
        if (text == "!absent" || !text.StartsWith("0x")) return Reading.Absent;
        var flags = Convert.ToUInt32(text[2..], 16);
        return Reading.Of(Fields.Of(("state", (flags & 1) != 0 ? "up" : "down")));   // IFF_UP
    }

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip link del dev {Sh.Quote(Dev)} 2>/dev/null || true") : RemoteCommand.Nothing;
}

/// <summary>A dummy interface, up, that holds a gateway's site address (the LAN behind the gateway, in tunnel mode).</summary>
public sealed record DummyLink : Resource
{
    public required string Dev { get; init; }

    public override DummyLinkId Id => new(Host, Dev);
    public override Fields Desired => Fields.Of(("state", "up"));

    public override RemoteCommand Apply(Reading live) => new(
        $"ip link show dev {Sh.Quote(Dev)} >/dev/null 2>&1 || ip link add {Sh.Quote(Dev)} type dummy\nip link set dev {Sh.Quote(Dev)} up");

    public override bool Exclusive => true;
}
