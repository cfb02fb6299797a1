using Renci.SshNet;
using Testbed.Transport;

namespace Verification.Faults;

/// <summary>
/// A plain SSH.NET session to one of this fixture's guests, beside the tool: it sees what the host really holds
/// (keys unredacted) and polls a rebooting guest cheaply. The host key is checked against the pin the tool
/// made for the faults-hosts stack.
/// </summary>
public sealed class GuestSsh(string host, int port, string keyFile, HostKeyPins pins)
{
    public string Host => host;

    public async Task<(int Exit, string Stdout)> RunAsync(string command, TimeSpan timeout, CancellationToken ct = default)
    {
        var info = new ConnectionInfo("127.0.0.1", port, "root", new PrivateKeyAuthenticationMethod("root", new PrivateKeyFile(keyFile)))
        {
            Timeout = timeout < TimeSpan.FromSeconds(10) ? timeout : TimeSpan.FromSeconds(10),
        };
        using var client = new SshClient(info);
        client.HostKeyReceived += (_, e) => e.CanTrust = pins.Pinned(host) is { } pinned && pinned == e.FingerPrintSHA256;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        await client.ConnectAsync(deadline.Token);
        using var cmd = client.CreateCommand(command);
        cmd.CommandTimeout = timeout;
        await cmd.ExecuteAsync(deadline.Token);
        return (cmd.ExitStatus ?? -1, cmd.Result);
    }

    /// <summary>The kernel's boot id, or null while the guest does not answer.</summary>
    public async Task<string?> BootIdAsync(CancellationToken ct = default)
    {
        try
        {
            // Short: while a guest reboots, a connection attempt hangs rather than fails; the caller polls again.
            var (exit, stdout) = await RunAsync("cat /proc/sys/kernel/random/boot_id", TimeSpan.FromSeconds(3), ct);
            return exit == 0 && stdout.Trim().Length > 0 ? stdout.Trim() : null;
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }
}
