using System.Diagnostics;
using Testbed.Engine;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Measurement;

/// <summary>A gateway taking part in a run: its name, its role in the stream, and its shell.</summary>
public sealed record RunHost(string Name, string Role, IHostShell Shell);

/// <summary>A run could not be measured (netserver would not start, netperf failed); the message says which and why.</summary>
public class MeasurementException(string message) : Exception(message);

/// <summary>
/// A gateway's CPU window showed no work while netperf moved data. Seen now and then on the receiver of the local
/// guests (UML's tick accounting booked a whole 2.6 s window as idle during a 174 Mbit/s stream); a sampler may take
/// such a sample again, and must not use its number.
/// </summary>
public sealed class IdleWindowException(string message) : MeasurementException(message);

/// <summary>
/// Measures one case the paper's way: netserver on the receiver for the whole run, netperf TCP_STREAM from the
/// sender, and the CPU of both gateways sampled right before and right after the client over the same interval.
/// The sender takes its samples in the same script as netperf, so its interval is the client's own; the receiver
/// and this machine (for local guests) are sampled concurrently with it.
/// </summary>
public sealed class NetperfRunner(RunHost sender, RunHost receiver, IHostSideCpu? hostSide) : IAsyncDisposable
{
    static readonly TimeSpan Short = TimeSpan.FromSeconds(30);

    RemoteJob? _netserver;

    /// <summary>One case, the paper's way: netserver for this run only, then netperf with its iterations.</summary>
    public async Task<CaseResult> RunAsync(CaseKey key, string label, NetperfRequest request, CancellationToken ct)
    {
        if (request.Problem is { } problem) throw new ArgumentException(problem, nameof(request));
        await using var session = await OpenAsync(sender, receiver, hostSide, ct);
        return await session.MeasureAsync(key, label, request, ct);
    }

    /// <summary>
    /// A runner with netserver started on the receiver for as long as it is open: many samples in a row pay for it once.
    /// Dispose it (<c>await using</c>) to stop netserver.
    /// </summary>
    public static async Task<NetperfRunner> OpenAsync(RunHost sender, RunHost receiver, IHostSideCpu? hostSide, CancellationToken ct)
    {
        var runner = new NetperfRunner(sender, receiver, hostSide);
        runner._netserver = await StartNetserverAsync(receiver.Shell, ct);
        return runner;
    }

    public async ValueTask DisposeAsync()
    {
        if (_netserver is { } job)
        {
            _netserver = null;
            await job.StopAsync(signal: "TERM", ct: CancellationToken.None);
        }
    }

    /// <summary>
    /// netserver on the receiver for the whole run, in the foreground of its own detached job (so it is stopped by its
    /// pid), ready once its control port listens, so the client never races it. A netserver an earlier run left (a run
    /// killed mid-way) may hold the port or other settings: it goes first.
    /// </summary>
    public static async Task<RemoteJob> StartNetserverAsync(IHostShell receiver, CancellationToken ct)
    {
        var port = NetperfRequest.ControlPort;
        try
        {
            return await RemoteJob.StartAsync(receiver, "netserver", $"netserver -D -4 -p {port}", $"ss -Hltn 'sport = :{port}' | grep -q .", ct,
                before: "pkill -x netserver; true");
        }
        catch (RemoteJobException e)
        {
            throw new MeasurementException(e.Message);
        }
    }

    /// <summary>
    /// One measurement with netserver already running (an open runner). With <paramref name="full"/> false the sample
    /// reads neither gateway's SA counters nor the receiver's own /proc/stat (half a second less on a UML guest, most of
    /// it the forks of the xfrm reads), which a sample on a host whose CPU is seen from outside can spare: its cost figure
    /// comes from there. The receiver's /proc/stat is read whenever nothing else sees its CPU.
    /// </summary>
    public async Task<CaseResult> MeasureAsync(CaseKey key, string label, NetperfRequest request, CancellationToken ct, bool full = true)
    {
        if (_netserver is null) throw new InvalidOperationException("netserver is not running: open the runner first");
        if (request.Problem is { } problem) throw new ArgumentException(problem, nameof(request));
        var receiverWindow = full || hostSide is null;
        var marker = LiveReader.NewMarker();
        var client = HostSample.Script(marker, "before", sas: full) +
                     LiveReader.Section(marker, "netperf", $"{request.CommandLine} 2>&1\nrc=$?") + LiveReader.Section(marker, "rc", "echo $rc") +
                     HostSample.Script(marker, "after", sas: full) + LiveReader.End(marker);
        var sampleOnly = HostSample.Script(marker, "now", sas: full) + LiveReader.End(marker);

        // The receiver's window opens before the client starts and closes after it ends, so it always holds the whole
        // stream. (Sampled while the client ran, a receiver slow to answer SSH could open its window after the stream:
        // an idle window, and half the cost, with nothing to say so.)
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var receiverBefore = receiverWindow ? await SampleAsync(receiver, sampleOnly, marker, full, ct) : null;
        var hostClock = Stopwatch.StartNew();
        var hostBefore = hostSide?.Sample();
        var clientResult = await sender.Shell.RunAsync(new RemoteCommand(client), $"netperf {key}", request.Timeout, ct);
        var hostAfter = hostSide?.Sample();
        var hostSeconds = hostClock.Elapsed.TotalSeconds;
        var receiverAfter = receiverWindow ? await SampleAsync(receiver, sampleOnly, marker, full, ct) : null;

        var sections = Sections(sender, clientResult, marker);
        var netperfOutput = sections.GetValueOrDefault("netperf") ?? "";
        if (sections.GetValueOrDefault("rc")?.Trim() != "0")
            throw new MeasurementException($"{sender.Name}: netperf failed (exit {sections.GetValueOrDefault("rc")?.Trim()}): {netperfOutput.Trim()}");
        NetperfResult netperf;
        try
        {
            netperf = NetperfResult.Parse(netperfOutput);
        }
        catch (FormatException e)
        {
            throw new MeasurementException($"{sender.Name}: {e.Message}");
        }

        var senderBefore = HostSample.From(sections, "before", sas: full);
        var senderAfter = HostSample.From(sections, "after", sas: full);
        var cpu = new List<GatewayCpu>
        {
            Gateway(sender, senderBefore, senderAfter, hostBefore, hostAfter, hostSeconds),
            Gateway(receiver, receiverBefore, receiverAfter, hostBefore, hostAfter, hostSeconds),
        };
        var otherLoad = hostBefore is not null && hostAfter is not null ? HostSideSample.OtherLoadPercent(hostBefore, hostAfter, hostSeconds) : (double?)null;
        foreach (var c in cpu)
            if (IdleWindow(c, netperf) is { } why) throw new IdleWindowException(why);
        var source = hostSide is null ? CpuSources.GuestProcStat : CpuSources.HostUmlProcesses;
        var perMbit = netperf.Mbps > 0 ? cpu.Sum(c => c.Best.CorePercent) / netperf.Mbps : double.NaN;
        var sas = SaDelta.Between(sender.Name, senderBefore.Sas, senderAfter.Sas)
            .Concat(receiverBefore is not null && receiverAfter is not null ? SaDelta.Between(receiver.Name, receiverBefore.Sas, receiverAfter.Sas) : []).ToList();
        return new CaseResult(key, label, started, clock.Elapsed.TotalSeconds, request.CommandLine, netperf, cpu, source, perMbit, sas)
            { OtherLoadPercent = otherLoad };
    }

    /// <summary>
    /// Why a gateway's CPU sample cannot be right: netperf moved data, yet the sample shows (next to) no work. A
    /// gateway that sends or receives a stream is never idle; such a window missed the stream (a sample taken late, a
    /// clock that did not tick), and a number from it would halve the cost without a word.
    /// </summary>
    public static string? IdleWindow(GatewayCpu c, NetperfResult netperf)
    {
        const double MovedMbps = 1, NoWorkCorePercent = 0.5;
        if (netperf.Mbps < MovedMbps) return null;
        foreach (var use in new[] { c.ProcStat, c.HostSide }.OfType<CpuUse>())
            if (use.IntervalSeconds <= 0 || use.CorePercent < NoWorkCorePercent)
                return $"{c.Host} ({c.Role}): {use.Source} shows {use.CorePercent:0.0} % of a core over {use.IntervalSeconds:0.00} s while netperf " +
                       $"moved {netperf.Mbps:0} Mbit/s: the sample window missed the stream, so this case's CPU cannot be judged";
        return null;
    }

    static GatewayCpu Gateway(RunHost host, HostSample? before, HostSample? after,
        HostSideSample? hostBefore, HostSideSample? hostAfter, double hostSeconds)
    {
        CpuUse? procStat = null;
        try
        {
            if (before is not null && after is not null)
                procStat = CpuUse.FromProcStat(before.Cpu, after.Cpu, after.UptimeSeconds - before.UptimeSeconds);
        }
        catch (ArgumentException e)
        {
            throw new MeasurementException($"{host.Name}: {e.Message}");
        }
        CpuUse? outside = null;
        if (hostBefore is not null && hostAfter is not null && hostBefore.Gateways.TryGetValue(host.Name, out var b) && hostAfter.Gateways.TryGetValue(host.Name, out var a))
            outside = CpuUse.FromProcessTicks(a - b, hostSeconds);
        return new GatewayCpu(host.Name, host.Role, procStat, outside);
    }

    static async Task<HostSample> SampleAsync(RunHost host, string script, string marker, bool sas, CancellationToken ct)
    {
        var r = await host.Shell.RunAsync(new RemoteCommand(script), sas ? "sample cpu and SA counters" : "sample cpu", Short, ct);
        return HostSample.From(Sections(host, r, marker), "now", sas);
    }

    static Dictionary<string, string> Sections(RunHost host, CommandResult r, string marker)
    {
        try
        {
            return LiveReader.Split(r.Stdout, marker);
        }
        catch (IOException)
        {
            throw new MeasurementException($"{host.Name}: the measurement script stopped early (exit {r.ExitCode}): {r.Stderr.Trim()}");
        }
    }
}
