using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>A package, found by the command it provides.</summary>
public sealed record PackageId(string Host, string PackageName, string Command) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.Package;
    public override string Name => PackageName;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["package"] = PackageName, ["command"] = Command };

    public override string ReadScript => $"command -v {Sh.Quote(Command)} >/dev/null 2>&1 && echo installed || echo absent";

    public override Reading Parse(string output) => output.Trim() == "installed" ? Reading.Of(Fields.Scalar("installed")) : Reading.Absent;

    /// <summary>Removes the package only if this tool installed it: one found installed stays.</summary>
    public override RemoteCommand Restore(Fields? original) => original is not null ? RemoteCommand.Nothing : new(
        $"if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get remove -y -q {Sh.Quote(PackageName)};" +
        $" elif command -v dnf >/dev/null; then dnf remove -y -q {Sh.Quote(PackageName)}; fi");
}

/// <summary>
/// A package a gateway needs (netperf, iproute2, ethtool), installed with the host's package manager; removed again
/// on destroy only if this tool installed it.
/// </summary>
public sealed record Package : Resource
{
    public required string PackageName { get; init; }
    public required string Command { get; init; }

    public override PackageId Id => new(Host, PackageName, Command);
    public override Fields Desired => Fields.Scalar("installed");

    public override RemoteCommand Apply(Reading live) => new(
        $"if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q {Sh.Quote(PackageName)};" +
        $" elif command -v dnf >/dev/null; then dnf install -y -q {Sh.Quote(PackageName)};" +
        $" else echo no apt-get or dnf to install {Sh.Quote(PackageName)} with >&2; exit 1; fi");

    /// <summary>
    /// What every gateway needs: netperf/netserver to measure, ip for xfrm, ethtool for the NIC, and tcpdump and
    /// tcpreplay for the verification suite's wire checks (capture the tunnel, replay a packet into it).
    /// </summary>
    public static readonly (string Package, string Command)[] Required =
        [("netperf", "netperf"), ("iproute2", "ip"), ("ethtool", "ethtool"), ("tcpdump", "tcpdump"), ("tcpreplay", "tcpreplay")];

    /// <summary>What IKEv2 keying adds: strongSwan's IKE daemon for swanctl (Debian's charon-systemd) and swanctl itself.</summary>
    public static readonly (string Package, string Command)[] Ike = [("charon-systemd", "charon-systemd"), ("strongswan-swanctl", "swanctl")];

    /// <summary>The packages of a list, on one host.</summary>
    public static IEnumerable<Package> On(string host, IEnumerable<(string Package, string Command)> list) =>
        list.Select(p => new Package { Host = host, PackageName = p.Package, Command = p.Command });
}
