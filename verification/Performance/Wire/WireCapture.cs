using Testbed.Resources;
using Testbed.Transport;

namespace Verification.Performance.Wire;

/// <summary>
/// tcpdump on one end of the wire while something runs: on the local testbed inside its network namespace, on a
/// lab stack on a gateway's data NIC. The capture goes to a file there and comes back base64-encoded through the
/// same shell, so the wire is read the same way on both kinds of stack.
/// </summary>
public sealed class WireCapture(IHostShell shell, string dev)
{
    static readonly TimeSpan Short = TimeSpan.FromSeconds(30);
    readonly string _file = $"/tmp/tb-wire-{Guid.NewGuid():N}.pcap";
    string? _pid;

    public string Where => $"{dev} on {shell.Name} ({shell.Endpoint})";

    /// <summary>Starts tcpdump (headers and the first 256 bytes of each frame) and waits until it writes.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var script =
            $"rm -f {Sh.Quote(_file)}\n" +
            $"timeout 300 tcpdump -i {Sh.Quote(dev)} -n -U -s 256 -w {Sh.Quote(_file)} >/dev/null 2>&1 &\n" +
            "pid=$!\n" +
            $"i=0; while [ ! -s {Sh.Quote(_file)} ]; do i=$((i+1)); [ $i -ge 100 ] && exit 4; sleep 0.05; done\n" +
            // tcpdump writes its file header as it opens; give it a moment to attach to the interface too.
            "sleep 0.3; echo $pid";
        var r = await shell.RunAsync(new RemoteCommand(script), $"start tcpdump on {dev}", Short, ct);
        if (!r.Ok) throw new InvalidOperationException($"tcpdump on {Where} did not start (exit {r.ExitCode}): {r.Stderr.Trim()}");
        _pid = r.Stdout.Trim();
    }

    /// <summary>Stops tcpdump (SIGINT, so it flushes) and returns the frames it captured.</summary>
    public async Task<IReadOnlyList<WirePacket>> StopAsync(CancellationToken ct)
    {
        var script =
            $"kill -INT {Sh.Quote(_pid ?? "0")} 2>/dev/null\n" +
            $"i=0; while kill -0 {Sh.Quote(_pid ?? "0")} 2>/dev/null; do i=$((i+1)); [ $i -ge 100 ] && break; sleep 0.05; done\n" +
            $"base64 -w0 {Sh.Quote(_file)}; rm -f {Sh.Quote(_file)}";
        var r = await shell.RunAsync(new RemoteCommand(script), $"stop tcpdump on {dev}", Short, ct);
        if (!r.Ok) throw new InvalidOperationException($"reading the capture on {Where} failed (exit {r.ExitCode}): {r.Stderr.Trim()}");
        return Pcap.Read(Convert.FromBase64String(r.Stdout.Trim())).Select(WirePacket.Parse).ToList();
    }
}
