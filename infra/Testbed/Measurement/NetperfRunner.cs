using System.Diagnostics;
using Testbed.Engine;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Measurement;

/// <summary>A gateway taking part in a run: its name, its role in the stream, and its shell.</summary>
public sealed record RunHost(string Name, string Role, IHostShell Shell);

/// <summary>A run could not be measured (netserver would not start, netperf failed); the message says which and why.</summary>
public sealed class MeasurementException(string message) : Exception(message);

/// <summary>
/// Measures one case the paper's way: netserver on the receiver for the whole run, netperf TCP_STREAM from the
/// sender, and the CPU of both gateways sampled right before and right after the client over the same interval.
/// The sender takes its samples in the same script as netperf, so its interval is the client's own; the receiver
/// and this machine (for local guests) are sampled concurrently with it.
/// </summary>
public sealed class NetperfRunner(RunHost sender, RunHost receiver, IHostSideCpu? hostSide)
{
    static readonly TimeSpan Short = TimeSpan.FromSeconds(30);

    public async Task<CaseResult> RunAsync(CaseKey key, string label, NetperfRequest request, CancellationToken ct)
    {
        if (request.Problem is { } problem) throw new ArgumentException(problem, nameof(request));
        await StartNetserverAsync(ct);
        try
        {
            return await MeasureAsync(key, label, request, ct);
        }
        finally
        {
            await receiver.Shell.RunAsync(new RemoteCommand("pkill -x netserver; true"), "stop netserver", Short, CancellationToken.None);
        }
    }

    async Task StartNetserverAsync(CancellationToken ct)
    {
        // A netserver left from an earlier run may hold other settings (or a dead guest's socket): start afresh,
        // then wait until the control port listens, so the client never races it.
        var script = "pkill -x netserver; netserver -4 -p " + NetperfRequest.ControlPort + " >/dev/null 2>&1 || exit 3\n" +
                     "i=0; while ! ss -Hltn 'sport = :" + NetperfRequest.ControlPort + "' | grep -q .; do " +
                     "i=$((i+1)); [ $i -ge 50 ] && exit 4; sleep 0.1; done";
        var r = await receiver.Shell.RunAsync(new RemoteCommand(script), "start netserver", Short, ct);
        if (!r.Ok)
            throw new MeasurementException(r.ExitCode == 4
                ? $"{receiver.Name}: netserver started but port {NetperfRequest.ControlPort} did not listen within 5 s"
                : $"{receiver.Name}: netserver did not start (exit {r.ExitCode}): {(r.Stdout + r.Stderr).Trim()}");
    }

    async Task<CaseResult> MeasureAsync(CaseKey key, string label, NetperfRequest request, CancellationToken ct)
    {
        var marker = LiveReader.NewMarker();
        var client = HostSample.Script(marker, "before") +
                     LiveReader.Section(marker, "netperf", $"{request.CommandLine} 2>&1\nrc=$?") + LiveReader.Section(marker, "rc", "echo $rc") +
                     HostSample.Script(marker, "after") + LiveReader.End(marker);
        var sampleOnly = HostSample.Script(marker, "now") + LiveReader.End(marker);

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var hostBefore = hostSide?.Sample();
        var clientRun = sender.Shell.RunAsync(new RemoteCommand(client), $"netperf {key}", request.Timeout, ct);
        var receiverBefore = await SampleAsync(receiver, sampleOnly, marker, ct);
        var clientResult = await clientRun;
        var hostAfter = hostSide?.Sample();
        var hostSeconds = clock.Elapsed.TotalSeconds;
        var receiverAfter = await SampleAsync(receiver, sampleOnly, marker, ct);

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

        var senderBefore = HostSample.From(sections, "before");
        var senderAfter = HostSample.From(sections, "after");
        var cpu = new List<GatewayCpu>
        {
            Gateway(sender, senderBefore, senderAfter, hostBefore, hostAfter, hostSeconds),
            Gateway(receiver, receiverBefore, receiverAfter, hostBefore, hostAfter, hostSeconds),
        };
        var source = hostSide is null ? CpuSources.GuestProcStat : CpuSources.HostUmlProcesses;
        var perMbit = netperf.Mbps > 0 ? cpu.Sum(c => c.Best.CorePercent) / netperf.Mbps : double.NaN;
        var sas = SaDelta.Between(sender.Name, senderBefore.Sas, senderAfter.Sas)
            .Concat(SaDelta.Between(receiver.Name, receiverBefore.Sas, receiverAfter.Sas)).ToList();
        return new CaseResult(key, label, started, clock.Elapsed.TotalSeconds, request.CommandLine, netperf, cpu, source, perMbit, sas);
    }

    static GatewayCpu Gateway(RunHost host, HostSample before, HostSample after,
        IReadOnlyDictionary<string, long>? hostBefore, IReadOnlyDictionary<string, long>? hostAfter, double hostSeconds)
    {
        var procStat = CpuUse.FromProcStat(before.Cpu, after.Cpu, after.UptimeSeconds - before.UptimeSeconds);
        CpuUse? outside = null;
        if (hostBefore is not null && hostAfter is not null && hostBefore.TryGetValue(host.Name, out var b) && hostAfter.TryGetValue(host.Name, out var a))
            outside = CpuUse.FromProcessTicks(a - b, hostSeconds);
        return new GatewayCpu(host.Name, host.Role, procStat, outside);
    }

    static async Task<HostSample> SampleAsync(RunHost host, string script, string marker, CancellationToken ct)
    {
        var r = await host.Shell.RunAsync(new RemoteCommand(script), "sample cpu and SA counters", Short, ct);
        return HostSample.From(Sections(host, r, marker), "now");
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
