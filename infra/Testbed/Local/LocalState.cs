namespace Testbed.Local;

/// <summary>The local testbed's bookkeeping in the state file: what it made, so that destroy can take it all away.</summary>
public sealed class LocalState
{
    public string Namespace { get; set; } = "";
    public string? Image { get; set; }
    public Dictionary<string, GuestRecord> Guests { get; set; } = [];
}

public sealed class GuestRecord
{
    public string Umid { get; set; } = "";
    public int SshPort { get; set; }
    public int Mtu { get; set; }
    public DateTimeOffset BootedAt { get; set; }
}

/// <summary>
/// The names and addresses of one guest's plumbing. Management is a veth pair per guest: the namespace keeps
/// <see cref="MgmtDev"/> with a /30 address, the guest's NIC attaches to <see cref="MgmtGuestDev"/>. (A tap would be
/// simpler, but a guest that reboots cannot reopen a tap its old self still holds.) The wire has no address here.
/// </summary>
public sealed record GuestLayout(string Host, string Umid, string WireDev, string MgmtDev, string MgmtGuestDev,
    string MgmtAddress, string GuestMgmtAddress, string Socket)
{
    public string GuestMgmtIp => GuestMgmtAddress.Split('/')[0];

    public static GuestLayout For(string project, string stack, string host, int index, string runtimeDir)
    {
        var letter = (char)('a' + index);
        var net = 4 * index;
        return new GuestLayout(host, $"{project}-{stack}-{host}", $"wire-{letter}", $"mgmt-{letter}", $"mgmt-{letter}-g",
            $"10.254.0.{net + 1}/30", $"10.254.0.{net + 2}/30", Path.Combine(runtimeDir, $"{host}.ssh.sock"));
    }
}
