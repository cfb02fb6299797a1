using Testbed.Transport;

namespace Verification.Performance.Wire;

/// <summary>
/// tcpdump on one end of the wire while something runs: on the local testbed inside its network namespace, on a
/// lab stack on each gateway's data NIC. The capture goes to a file there and comes back base64-encoded through the
/// same shell, so the wire is read the same way on both kinds of stack. tcpdump runs as a detached job, bounded in
/// time and in frames (a gateway's /tmp is RAM on the local guests), and is always stopped.
/// </summary>
/// <param name="outgoingOnly">Only what the host sends (<c>-Q out</c>). On a gateway's own NIC that is exactly what it puts on
/// the wire: the packets it receives show twice there, as ESP and again after the kernel decrypted them (the inner
/// packet re-enters on the same device), which would look like a leak and a readable marker.</param>
public sealed class WireCapture(IHostShell shell, string dev, bool outgoingOnly = false)
{
    /// <summary>About 40 MB of 256-byte snapshots at most: a 2 s stream is some 100 000 frames at the local testbed's rates.</summary>
    const int MaxFrames = 150_000;

    readonly string _file = $"/tmp/tb-wire-{Guid.NewGuid():N}.pcap";
    RemoteJob? _tcpdump;

    public string Where => $"{dev}{(outgoingOnly ? " (outgoing)" : "")} on {shell.Name} ({shell.Endpoint})";

    /// <summary>Starts tcpdump (headers and the first 256 bytes of each frame) and waits until it writes.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            // tcpdump writes its file header as it opens; the pause lets it attach to the interface too.
            _tcpdump = await RemoteJob.StartAsync(shell, $"tcpdump on {dev}",
                $"timeout 120 tcpdump -i {Sh.Quote(dev)}{(outgoingOnly ? " -Q out" : "")} -n -U -s 256 -c {MaxFrames} -w {Sh.Quote(_file)}",
                $"[ -s {Sh.Quote(_file)} ] && sleep 0.3", ct, before: $"rm -f {Sh.Quote(_file)}");
        }
        catch (RemoteJobException e)
        {
            throw new InvalidOperationException($"tcpdump on {Where} did not start: {e.Message}");
        }
    }

    /// <summary>Stops tcpdump (SIGINT, so it flushes) and returns the frames it captured; the file goes with it.</summary>
    public async Task<IReadOnlyList<WirePacket>> StopAsync(CancellationToken ct)
    {
        if (_tcpdump is null) return [];
        var r = await _tcpdump.StopAsync(then: $"base64 -w0 {Sh.Quote(_file)}; rc=$?; rm -f {Sh.Quote(_file)}; exit $rc", ct: ct);
        _tcpdump = null;
        if (!r.Ok) throw new InvalidOperationException($"reading the capture on {Where} failed (exit {r.ExitCode}): {r.Stderr.Trim()}");
        return Pcap.Read(Convert.FromBase64String(r.Stdout.Trim())).Select(WirePacket.Parse).ToList();
    }
}
