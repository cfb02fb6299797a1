using Testbed.Secrets;
using System.Net;
using System.Text.RegularExpressions;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Resources;

namespace Testbed.Config;

/// <param name="Provider">The provider's name, as <c>provider:</c> gives it (one the <see cref="ProviderCatalog"/> knows).</param>
/// <param name="SharedHardware"><c>hardware: shared</c>: the gateways share their CPUs with other work (VMs on shared hosts),
/// whatever the provider's hosts usually are.</param>
/// <param name="WireIo"><c>wire-io</c>: how the local guests' wire NIC moves frames (provider local only).</param>
public sealed record Inventory(string File, string Provider, IReadOnlyList<GatewayHost> Hosts, bool SharedHardware = false,
    WireIo WireIo = WireIo.Packet);

/// <summary>Reads <c>inventory/&lt;name&gt;.yaml</c>: the two gateways, how to reach them and what sits behind them.</summary>
public static partial class InventoryLoader
{
    public static Inventory? Load(Project project, string name, string referencedBy, ErrorSink errors)
    {
        var path = project.InventoryFile(name);
        var display = project.Relative(path);
        if (!File.Exists(path))
        {
            errors.Add(new ConfigError(referencedBy, $"{project.Name}:inventory", $"names inventory '{name}', but {display} does not exist"));
            return null;
        }
        var yaml = YamlView.Load(path, display, errors);
        if (yaml is null) return null;
        yaml.AllowOnly("provider", "hardware", "wire-io", "hosts");

        var provider = yaml["provider"].OneOf("ssh", [.. ProviderCatalog.Names]);
        var makesEndpoints = provider is null ? (bool?)null : ProviderCatalog.Describe(provider)!.MakesEndpoints;

        // Whether the gateways run nothing else, so that their absolute throughput can be judged against a recording. A
        // provider that makes its own hosts (the local testbed) knows: its guests share this machine.
        var hardware = yaml["hardware"].OneOf("dedicated", "dedicated", "shared");
        if (yaml["hardware"].Exists && makesEndpoints == true)
            yaml["hardware"].Error($"the {provider} provider's gateways share this machine; hardware: is for hosts that exist (provider ssh)");

        // The guests' NIC is the tool's to boot; a lab's NICs are the lab's.
        var wireIo = yaml["wire-io"].OneOf("packet", "packet", "vector") == "vector" ? WireIo.Vector : WireIo.Packet;
        if (yaml["wire-io"].Exists && makesEndpoints == false)
            yaml["wire-io"].Error($"is how the local guests' wire NIC moves frames; provider {provider}'s hosts bring NICs of their own");

        var hosts = new List<GatewayHost>();
        var hostsNode = yaml["hosts"];
        if (!hostsNode.Exists) hostsNode.Error("is required: the two gateways");
        foreach (var (hostName, node) in hostsNode.Entries())
            if (ReadHost(hostName, node, provider, makesEndpoints, path) is { } host) hosts.Add(host);

        if (hostsNode.Exists && hostsNode.Entries().Count() != 2)
            hostsNode.Error($"lists {hostsNode.Entries().Count()} hosts; a testbed has exactly two gateways");
        else if (hosts.Count == 2)
            CheckPair(hosts, hostsNode);

        return provider is { } p && hosts.Count == 2 ? new Inventory(display, p, hosts, hardware == "shared", wireIo) : null;
    }

    /// <param name="makesEndpoints">The provider reaches its hosts itself (no <c>ssh:</c>); null when the provider is unknown.</param>
    static GatewayHost? ReadHost(string name, YamlView node, string? provider, bool? makesEndpoints, string inventoryPath)
    {
        if (!HostName().IsMatch(name)) node.Error("a host name is lower-case letters, digits and '-', starting with a letter");
        node.AllowOnly("role", "ssh", "nic", "address", "site");

        var role = node["role"].OneOf("", "sender", "receiver") switch
        {
            "sender" => Role.Sender,
            "receiver" => Role.Receiver,
            "" => Fail<Role>(node["role"], "is required: sender or receiver"),
            _ => (Role?)null,
        };

        var nic = node["nic"].String(required: true);
        if (nic is not null && !Ifname.IsValid(nic)) node["nic"].Error($"'{YamlView.Shorten(nic)}' is not an interface name");

        var addressText = node["address"].String(required: true);
        var address = addressText is null ? null : InterfaceAddress.TryParse(addressText);
        if (addressText is not null && address is null) node["address"].Error($"'{YamlView.Shorten(addressText)}' is not an IPv4 address with a prefix, like 192.0.2.1/24");

        var siteText = node["site"].String(required: true);
        IPNetwork? site = null;
        if (siteText is not null)
        {
            // IPNetwork.TryParse would quietly mask host bits away; a site written with them is a typo worth telling.
            if (IPNetwork.TryParse(siteText, out var net) && net.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                && net.PrefixLength is >= 8 and <= 30 && net.ToString() == siteText)
                site = net;
            else
                node["site"].Error($"'{YamlView.Shorten(siteText)}' is not an IPv4 subnet (prefix 8..30, host bits zero), like 10.1.0.0/24");
        }

        SshEndpoint? ssh = null;
        var sshNode = node["ssh"];
        if (makesEndpoints == false) ssh = ReadSsh(sshNode, provider!, inventoryPath);
        else if (makesEndpoints == true && sshNode.Exists) sshNode.Error($"hosts of provider {provider} are reached through the tool's own forward; remove this key");

        if (role is null || nic is null || address is null || site is null || (makesEndpoints == false && ssh is null)) return null;
        return new GatewayHost(name, role.Value, ssh, nic, address, site.Value);
    }

    static T? Fail<T>(YamlView node, string message) where T : struct
    {
        node.Error(message);
        return null;
    }

    /// <remarks>A relative key path is taken from the inventory file's folder; <c>~/</c> is the home folder.</remarks>
    static SshEndpoint? ReadSsh(YamlView node, string provider, string inventoryPath)
    {
        if (!node.Exists)
        {
            node.Error($"is required for provider {provider}: host, port, user, key");
            return null;
        }
        node.AllowOnly("host", "port", "user", "key");
        var host = node["host"].String(required: true);
        if (host is not null && !SshHost().IsMatch(host)) node["host"].Error($"'{YamlView.Shorten(host)}' is not a host name or address");
        var port = node["port"].Exists ? node["port"].Int(1, 65535) : 22;
        var user = node["user"].String() ?? "root";
        if (!UserName().IsMatch(user)) node["user"].Error($"'{YamlView.Shorten(user)}' is not a user name");
        var keyText = node["key"].String(required: true);
        string? key = null;
        if (keyText is not null)
        {
            key = ExpandHome(keyText, Path.GetDirectoryName(inventoryPath)!);
            if (!File.Exists(key)) node["key"].Error($"{keyText}: no such file");
            else if (SecretFiles.TooOpen(key) is { } why) node["key"].Error($"{keyText} is {why}; a private key must be readable by its owner only (chmod 600)");
        }
        return host is null || port is null || key is null || !SshHost().IsMatch(host) || !UserName().IsMatch(user) ? null : new SshEndpoint(host, port.Value, user, key);
    }

    static void CheckPair(List<GatewayHost> hosts, YamlView node)
    {
        var (a, b) = (hosts[0], hosts[1]);
        if (a.Role == b.Role) node.Error($"both hosts have role {a.Role.ToString().ToLowerInvariant()}; one must be sender, one receiver");
        if (!a.Address.Network.Equals(b.Address.Network)) node.Error($"{a.Name} ({a.Address}) and {b.Name} ({b.Address}) must share the link's subnet");
        if (a.Address.Address.Equals(b.Address.Address)) node.Error($"{a.Name} and {b.Name} have the same address {a.Address.Address}");
        if (a.Site.Contains(b.Site.BaseAddress) || b.Site.Contains(a.Site.BaseAddress)) node.Error($"the sites {a.Site} and {b.Site} overlap");
        foreach (var h in hosts)
            foreach (var s in hosts)
                if (s.Site.Contains(h.Address.Address)) node.Error($"{h.Name}'s link address {h.Address.Address} lies inside {s.Name}'s site {s.Site}");
    }

    public static string ExpandHome(string path, string root)
    {
        if (path.StartsWith("~/")) path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]);
        return Path.GetFullPath(Path.Combine(root, path));
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$|^[0-9a-fA-F:]+$")]
    private static partial Regex SshHost();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();
}
