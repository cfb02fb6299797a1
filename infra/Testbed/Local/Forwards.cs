using Testbed.Machine;
using System.Net;
using System.Net.Sockets;

namespace Testbed.Local;

/// <summary>
/// How the program reaches a guest's sshd: a socat on 127.0.0.1:&lt;port&gt; hands each connection to a UNIX socket,
/// where a second socat, inside the namespace, connects to the guest's management address. Nothing listens on
/// any address but loopback, and nothing outside the namespace can reach the guest.
/// </summary>
public static class Forwards
{
    /// <summary>The socat processes that serve this socket path.</summary>
    public static IReadOnlyList<Processes.Proc> ProcessesOf(string socket, IReadOnlyList<Processes.Proc>? all = null) =>
        (all ?? Processes.All()).Where(p => Path.GetFileName(p.Argv[0]) == "socat" && p.Argv.Any(a => a.Contains(socket))).ToList();

    public static bool IsRunning(GuestLayout g, IReadOnlyList<Processes.Proc>? all = null) => ProcessesOf(g.Socket, all).Count >= 2;

    public static async Task StartAsync(string ns, GuestLayout g, int port)
    {
        Stop(g);
        Directory.CreateDirectory(Path.GetDirectoryName(g.Socket)!);
        File.SetUnixFileMode(Path.GetDirectoryName(g.Socket)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Commands.Spawn(["ip", "netns", "exec", ns, "socat",
            $"UNIX-LISTEN:{g.Socket},fork,unlink-early,mode=600", $"TCP:{g.GuestMgmtIp}:22"]);
        for (var i = 0; i < 50 && !File.Exists(g.Socket); i++) await Task.Delay(20);
        await Commands.Spawn(["socat",
            $"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", $"UNIX-CONNECT:{g.Socket}"]);
        for (var i = 0; i < 50 && IsFree(port); i++) await Task.Delay(20);
    }

    public static void Stop(GuestLayout g)
    {
        Processes.Kill(ProcessesOf(g.Socket), 9);
        if (File.Exists(g.Socket)) File.Delete(g.Socket);
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Waits until sshd's banner comes back through the forward: the guest is up and reachable.</summary>
    public static async Task<bool> WaitForSshAsync(int port, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                using var stream = client.GetStream();
                stream.ReadTimeout = 1000;
                var buf = new byte[8];
                using var read = CancellationTokenSource.CreateLinkedTokenSource(ct);
                read.CancelAfter(1000);
                var n = await stream.ReadAsync(buf, read.Token);
                if (n >= 4 && System.Text.Encoding.ASCII.GetString(buf, 0, n).StartsWith("SSH-")) return true;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested) { }
            await Task.Delay(200, ct);
        }
        return false;
    }
}
