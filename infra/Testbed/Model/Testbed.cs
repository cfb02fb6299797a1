using System.Net;

namespace Testbed.Model;

/// <summary>Which end of the netperf stream a gateway is (the paper's senders P2, X1 and receivers P4M, X2).</summary>
public enum Role { Sender, Receiver }

/// <summary>How the program reaches a host: an SSH endpoint and a private key, nothing more.</summary>
public sealed record SshEndpoint(string Host, int Port, string User, string KeyFile)
{
    public override string ToString() => $"{User}@{Host}:{Port}";
}

/// <summary>An address on an interface, as <c>ip addr</c> writes it: <c>192.0.2.1/24</c>.</summary>
public sealed record InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public static InterfaceAddress? TryParse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            return null;
        return int.TryParse(text[(slash + 1)..], out var len) && len is >= 1 and <= 32 ? new InterfaceAddress(ip, len) : null;
    }

    public IPNetwork Network => new IPNetwork(Mask(Address, PrefixLength), PrefixLength);

    static IPAddress Mask(IPAddress ip, int len)
    {
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < 4; i++)
        {
            var keep = Math.Clamp(len - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}

/// <summary>
/// One IPsec gateway: where to reach it, its data NIC (the one on the wire) and the site subnet behind it.
/// </summary>
/// <param name="Ssh">Null for a local guest until the local testbed has booted it.</param>
public sealed record GatewayHost(string Name, Role Role, SshEndpoint? Ssh, string Nic, InterfaceAddress Address, IPNetwork Site)
{
    /// <summary>The gateway's own address inside its site, where tunnel-mode traffic starts and ends.</summary>
    public InterfaceAddress SiteAddress
    {
        get
        {
            var bytes = Site.BaseAddress.GetAddressBytes();
            bytes[3] += 1;
            return new InterfaceAddress(new IPAddress(bytes), Site.PrefixLength);
        }
    }
}

/// <summary>One end of the wire that a shaper can sit on: a host (a gateway, or the local testbed's namespace) and a device.</summary>
public sealed record WireEnd(string Host, string Dev);

/// <summary>The wire between the gateways: shaped to a rate, or left at what the hardware gives.</summary>
public sealed record Link(int? RateMbit)
{
    public static readonly Link Unshaped = new((int?)null);

    public string Name => RateMbit is { } r ? $"{r}mbit" : "unshaped";

    public static Link? Parse(string text) => text switch
    {
        "unshaped" => Unshaped,
        "10mbit" => new Link(10),
        "100mbit" => new Link(100),
        "1000mbit" or "1gbit" => new Link(1000),
        _ => null,
    };

    public override string ToString() => Name;
}

/// <summary>Kernel settings by their <c>sysctl</c> names, and the NIC options by their <c>ethtool</c> names.</summary>
public sealed record KernelTuning(string Name, IReadOnlyList<KeyValuePair<string, string>> Sysctls);

/// <summary>One <c>ethtool -C</c> parameter (rx-usecs, tx-usecs, …).</summary>
/// <param name="BestEffort">True when the value comes from a profile: a NIC that lacks the knob skips it.</param>
public sealed record Coalesce(string Param, int Value, bool BestEffort);

/// <param name="Offload"><c>ethtool -K</c> features (gso, gro, tso, …) and whether they are on.</param>
public sealed record NicOptions(IReadOnlyList<Coalesce> Coalesce, IReadOnlyList<KeyValuePair<string, bool>> Offload);

/// <summary>
/// How the local guests' wire NIC (UML's vector driver) moves frames to this machine, as the local inventory's
/// <c>wire-io</c> says: one frame per system call (<c>vec=0</c>), or sendmmsg/recvmmsg batches of up to 128
/// (<c>depth=128</c>). The first is the quieter measurement, the second the one that has never latched a failed write
/// (docs/local-testbed.md).
/// </summary>
public enum WireIo { Packet, Vector }

/// <summary>Everything a stack declares: the paper's testbed section as data.</summary>
/// <param name="Provider">Where the hosts come from, as the inventory names it: the engine asks that provider for them.</param>
public sealed record TestbedSpec(
    string Project,
    string Stack,
    string StackFile,
    string InventoryFile,
    string Provider,
    IReadOnlyList<GatewayHost> Gateways,
    Link Link,
    KernelTuning Kernel,
    NicOptions Nic,
    int Mtu,
    IpsecSettings Ipsec)
{
    /// <summary>The inventory says the gateways share their CPUs with other work (<c>hardware: shared</c>).</summary>
    public bool SharedHardware { get; init; }

    /// <summary>How the local guests' wire NIC moves frames (the local inventory's <c>wire-io</c>); lab hosts ignore it.</summary>
    public WireIo WireIo { get; init; }

    public GatewayHost Sender => Gateways.Single(g => g.Role == Role.Sender);
    public GatewayHost Receiver => Gateways.Single(g => g.Role == Role.Receiver);

    public GatewayHost Peer(GatewayHost host) => host.Role == Role.Sender ? Receiver : Sender;

    public GatewayHost? Host(string name) => Gateways.FirstOrDefault(g => g.Name == name);

    public TestbedSpec WithHosts(IReadOnlyList<GatewayHost> hosts) => this with { Gateways = hosts };
}
