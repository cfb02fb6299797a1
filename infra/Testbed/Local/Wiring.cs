using Testbed.Machine;
namespace Testbed.Local;

/// <summary>
/// The testbed's network namespace and what lives in it: the wire (a veth pair, one end per guest) and a veth
/// pair per guest for management. Every address of the testbed is inside this namespace or inside the guests.
/// </summary>
public static class Wiring
{
    public static bool NamespaceExists(string ns) => File.Exists($"/run/netns/{ns}");

    static Task<string> Ip(string ns, params string[] args) => Commands.Run(["ip", "-n", ns, .. args]);

    static Task<bool> Has(string ns, string dev) => Commands.TryRun(["ip", "-n", ns, "link", "show", "dev", dev]);

    /// <summary>True when the namespace has the wire at this MTU and every management link up with its address (one `ip -batch`).</summary>
    public static async Task<bool> IsComplete(string ns, IReadOnlyList<GuestLayout> guests, int mtu)
    {
        if (!NamespaceExists(ns)) return false;
        // Link lines name the device followed by '@' or ':'; address lines name it followed by blanks, and carry no flags.
        var r = await Transport.LocalShell.Run(["ip", "-n", ns, "-o", "-batch", "-"], "link show\naddr show\n", TimeSpan.FromSeconds(10), default);
        if (!r.Ok) return false;
        bool LinkUp(string dev, int? withMtu) => r.Stdout.Split('\n').Any(l =>
            (l.Contains($" {dev}@") || l.Contains($" {dev}:")) && l.Contains(",UP") && (withMtu is null || l.Contains($" mtu {withMtu} ")));
        return guests.All(g => LinkUp(g.WireDev, mtu) && LinkUp(g.MgmtDev, null) && LinkUp(g.MgmtGuestDev, null) && r.Stdout.Contains($" inet {g.MgmtAddress} "));
    }

    /// <summary>Creates whatever of the namespace, wire and management links is missing, and sets the wire's MTU.</summary>
    public static async Task EnsureAsync(string ns, IReadOnlyList<GuestLayout> guests, int mtu, Action<string> progress)
    {
        if (await IsComplete(ns, guests, mtu)) return;
        if (!NamespaceExists(ns))
        {
            progress($"creating network namespace {ns}");
            await Commands.Run(["ip", "netns", "add", ns]);
        }
        await Ip(ns, "link", "set", "lo", "up");
        var (a, b) = (guests[0], guests[1]);
        if (!await Has(ns, a.WireDev) || !await Has(ns, b.WireDev))
        {
            await Commands.TryRun(["ip", "-n", ns, "link", "del", a.WireDev]);
            await Commands.TryRun(["ip", "-n", ns, "link", "del", b.WireDev]);
            progress($"creating the wire {a.WireDev} <-> {b.WireDev}");
            await Ip(ns, "link", "add", a.WireDev, "type", "veth", "peer", "name", b.WireDev);
        }
        foreach (var g in guests)
        {
            await Ip(ns, "link", "set", "dev", g.WireDev, "mtu", mtu.ToString(), "up");
            if (!await Has(ns, g.MgmtDev) || !await Has(ns, g.MgmtGuestDev))
            {
                await Commands.TryRun(["ip", "-n", ns, "link", "del", g.MgmtDev]);
                await Ip(ns, "link", "add", g.MgmtDev, "type", "veth", "peer", "name", g.MgmtGuestDev);
            }
            await Ip(ns, "addr", "replace", g.MgmtAddress, "dev", g.MgmtDev);
            await Ip(ns, "link", "set", "dev", g.MgmtDev, "up");
            await Ip(ns, "link", "set", "dev", g.MgmtGuestDev, "up");
        }
    }

    public static async Task DeleteAsync(string ns)
    {
        if (NamespaceExists(ns)) await Commands.Run(["ip", "netns", "del", ns]);
    }
}
