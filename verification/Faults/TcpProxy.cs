using System.Net;
using System.Net.Sockets;

namespace Verification.Faults;

/// <summary>
/// The only mocked edge of the fault tests: the network between the tool and one host. A TCP forward on 127.0.0.1
/// to the guest's SSH port that a test can cut (every connection reset at once), close (new connections refused),
/// stall (bytes held until released) or turn into a black hole (connections accepted, never answered).
/// SSH client, SSH server and kernels on both sides stay real.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    readonly int _target;
    readonly object _gate = new();
    readonly Dictionary<Socket, bool> _open = [];   // socket -> accepted from the tool (not the leg to the host)
    TcpListener? _listener;
    int _accepted, _reset;

    public string Name { get; }
    public int Port { get; }

    /// <summary>Connections accepted since the proxy started (each SSH connection the tool opened).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Live connections of the tool that this proxy cut.</summary>
    public int Reset => Volatile.Read(ref _reset);

    TaskCompletionSource _flowing = Flowing();

    static TaskCompletionSource Flowing()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    /// <summary>Holds every byte in both directions until <see cref="Release"/>: a network that stalls, connections kept.</summary>
    public void Hold()
    {
        lock (_gate)
            if (_flowing.Task.IsCompleted) _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release()
    {
        lock (_gate) _flowing.TrySetResult();
    }

    Task Flow
    {
        get { lock (_gate) return _flowing.Task; }
    }

    /// <summary>Accept, then say nothing: a host whose network swallows packets.</summary>
    public bool BlackHole { get; set; }

    int _armed;

    /// <summary>
    /// Cuts every connection as soon as the tool next sends something (after passing that on): the drop lands
    /// inside the tool's next command, which the host may or may not have started.
    /// </summary>
    public void DropOnNextRequest() => Volatile.Write(ref _armed, 1);

    public bool Refusing
    {
        get { lock (_gate) return _listener is null; }
    }

    TcpProxy(string name, int target)
    {
        (Name, _target) = (name, target);
        Port = Listen(0);
    }

    public static TcpProxy Start(string name, int targetPort) => new(name, targetPort);

    int Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        lock (_gate) _listener = listener;
        _ = AcceptLoopAsync(listener);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Resets every live connection; new ones are still accepted.</summary>
    public int DropAll()
    {
        List<KeyValuePair<Socket, bool>> open;
        lock (_gate)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var (s, _) in open) Abort(s);
        var cut = open.Count(o => o.Value);
        Interlocked.Add(ref _reset, cut);
        return cut;
    }

    /// <summary>Cuts every connection and stops listening: the host's SSH port now refuses connections.</summary>
    public void Refuse()
    {
        TcpListener? listener;
        lock (_gate)
        {
            listener = _listener;
            _listener = null;
        }
        listener?.Stop();
        DropAll();
    }

    /// <summary>Listens again, on the same port (the inventory names it).</summary>
    public void Resume()
    {
        if (Refusing) Listen(Port);
    }

    async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;   // stopped
            }
            Interlocked.Increment(ref _accepted);
            Track(client, fromTool: true);
            if (!BlackHole) _ = ForwardAsync(client);
        }
    }

    async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Track(server, fromTool: false);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target);
        }
        catch (SocketException)
        {
            Abort(client);
            Abort(server);
            return;
        }
        await Task.WhenAll(PumpAsync(client, server, fromTool: true), PumpAsync(server, client, fromTool: false));
        Untrack(client);
        Untrack(server);
        client.Dispose();
        server.Dispose();
    }

    async Task PumpAsync(Socket from, Socket to, bool fromTool)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);   // pass the orderly close on
                    return;
                }
                await Flow;
                var sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None);
                if (fromTool && Interlocked.Exchange(ref _armed, 0) == 1) DropAll();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side reset or was cut: the other side must see the break too.
            Abort(from);
            Abort(to);
        }
    }

    void Track(Socket s, bool fromTool)
    {
        lock (_gate) _open[s] = fromTool;
    }

    void Untrack(Socket s)
    {
        lock (_gate) _open.Remove(s);
    }

    /// <summary>Closes with a reset (SO_LINGER 0), as a dropped link or a crashed middlebox looks to both ends.</summary>
    static void Abort(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        s.Dispose();
    }

    public void Dispose() => Refuse();
}
