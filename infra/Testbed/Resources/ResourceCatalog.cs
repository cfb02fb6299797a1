namespace Testbed.Resources;

/// <summary>
/// Rebuilds a resource from what the state file kept of it (host, kind, identity, last value), so that a setting
/// the stack no longer declares can still be read and put back.
/// </summary>
public static class ResourceCatalog
{
    public static Resource Rehydrate(string host, string kind, IReadOnlyDictionary<string, string> id, Fields? applied)
    {
        string Id(string key) => id.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"state entry {host}/{kind} lacks '{key}'");
        var value = applied?["value"] ?? "";
        return kind switch
        {
            "sysctl" => new Sysctl { Host = host, Key = Id("key"), Value = value },
            "ethtool-coalesce" => new NicCoalesce { Host = host, Dev = Id("dev"), Param = Id("param"), Value = int.TryParse(value, out var n) ? n : 0 },
            "ethtool-offload" => new NicOffload { Host = host, Dev = Id("dev"), Feature = Id("feature"), On = value == "on" },
            "mtu" => new LinkMtu { Host = host, Dev = Id("dev"), Mtu = int.TryParse(value, out var m) ? m : 0 },
            "link" => new DummyLink { Host = host, Dev = Id("dev") },
            "addr" => new Address { Host = host, Dev = Id("dev"), Cidr = Id("cidr") },
            "route" => new Route { Host = host, To = Id("to"), Via = applied?["via"] ?? "", Src = applied?["src"] ?? "" },
            "xfrm-state" => new XfrmState
            {
                Host = host, Src = Id("src"), Dst = Id("dst"), Proto = Id("proto"),
                Spi = XfrmText.ParseNumber(Id("spi")) ?? throw new InvalidDataException($"bad spi in state for {host}"),
            },
            "xfrm-policy" => new XfrmPolicy { Host = host, Src = Id("src"), Dst = Id("dst"), Dir = Id("dir") },
            "package" => new Package { Host = host, PackageName = Id("package"), Command = Id("command") },
            "qdisc" => new Shaper { Host = host, Dev = Id("dev"), RateMbit = 0, Mtu = 1500 },
            _ => throw new InvalidDataException($"state names an unknown resource kind '{kind}' on {host}"),
        };
    }
}
