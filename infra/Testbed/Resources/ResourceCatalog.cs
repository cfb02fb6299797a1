namespace Testbed.Resources;

/// <summary>
/// Rebuilds a setting's identity from what the state file kept of it (host, kind, identity), so that a setting
/// the stack no longer declares can still be read and put back. Nothing of the value once wanted is needed.
/// </summary>
public static class ResourceCatalog
{
    public static ResourceId Rehydrate(string host, ResourceKind kind, IReadOnlyDictionary<string, string> id)
    {
        string Id(string key) => id.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"state entry {host}/{kind.Name} lacks '{key}'");
        return kind switch
        {
            ResourceKind.Package => new PackageId(host, Id("package"), Id("command")),
            ResourceKind.Sysctl => new SysctlId(host, Id("key")),
            ResourceKind.EthtoolCoalesce => new NicCoalesceId(host, Id("dev"), Id("param")),
            ResourceKind.EthtoolOffload => new NicOffloadId(host, Id("dev"), Id("feature")),
            ResourceKind.Mtu => new LinkMtuId(host, Id("dev")),
            ResourceKind.Link => new DummyLinkId(host, Id("dev")),
            ResourceKind.Addr => new AddressId(host, Id("dev"), Id("cidr")),
            ResourceKind.Route => new RouteId(host, Id("to")),
            ResourceKind.Qdisc => new ShaperId(host, Id("dev")),
            ResourceKind.XfrmState => new XfrmStateId(host, Id("src"), Id("dst"), Id("proto"),
                XfrmText.ParseNumber(Id("spi")) ?? throw new InvalidDataException($"bad spi in state for {host}")),
            ResourceKind.XfrmPolicy => new XfrmPolicyId(host, Id("src"), Id("dst"), Id("dir")),
            ResourceKind.Charon => new CharonId(host, Id("daemon")),
            ResourceKind.SwanctlConn => new SwanctlConnId(host, Id("file")),
            ResourceKind.ChildSa => new ChildSaId(host, Id("local"), Id("remote")),
            _ => throw new InvalidDataException($"state names resource kind {kind} on {host}, which the tool cannot rebuild"),
        };
    }
}
