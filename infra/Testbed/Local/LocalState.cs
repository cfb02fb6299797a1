using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Testbed.Providers;

namespace Testbed.Local;

/// <summary>The local testbed's bookkeeping in the state file: what it made, so that destroy can take it all away.</summary>
public sealed class LocalState
{
    public string Namespace { get; set; } = "";
    public string? Image { get; set; }
    public Dictionary<string, GuestRecord> Guests { get; set; } = [];

    /// <summary>How the record is written in the stack's state (<see cref="ProviderJson"/>), for the provider and for readers of the state.</summary>
    public static JsonTypeInfo<LocalState> Json { get; } = ProviderJson.TypeInfo<LocalState>(LocalJsonContext.Default);
}

[JsonSerializable(typeof(LocalState))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;

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
/// <param name="Cpu">The CPU of this machine the guest runs on, alone: a guest is one virtual CPU that is busy the whole
/// stream, and two guests the scheduler moves around share caches and queues with each other and with everything else
/// (measured: pinned, CPU per Mbit/s of ESP at 1 KiB varied 0.15 instead of 0.56). Null on a one-CPU machine.</param>
public sealed record GuestLayout(string Host, string Umid, string WireDev, string MgmtDev, string MgmtGuestDev,
    string MgmtAddress, string GuestMgmtAddress, string Socket, int? Cpu = null)
{
    public string GuestMgmtIp => GuestMgmtAddress.Split('/')[0];

    public static GuestLayout For(string project, string stack, string host, int index, string runtimeDir)
    {
        var letter = (char)('a' + index);
        var net = 4 * index;
        return new GuestLayout(host, $"{project}-{stack}-{host}", $"wire-{letter}", $"mgmt-{letter}", $"mgmt-{letter}-g",
            $"10.254.0.{net + 1}/30", $"10.254.0.{net + 2}/30", Path.Combine(runtimeDir, $"{host}.ssh.sock"),
            Environment.ProcessorCount > 1 ? index % Environment.ProcessorCount : null);
    }
}
