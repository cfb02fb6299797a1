using System.Reflection;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Measurement;

/// <summary>What a gateway runs: its kernel and the tools whose behaviour the numbers depend on.</summary>
/// <param name="CpuModel">The "model name" of the gateway's /proc/cpuinfo (a UML guest reports its own idea of the CPU).</param>
public sealed record GatewayVersions(string Host, string Hostname, string Kernel, string Machine, string Netperf, string Iproute2, int Cpus,
    string CpuModel = "unknown");

/// <summary>
/// Where and with what a run was measured, written at the head of every result file so that numbers from two
/// runs are only compared knowingly.
/// </summary>
public sealed record RunInfo(
    string Stack,
    string Provider,
    string Profile,
    string Baseline,
    DateTimeOffset Started,
    string MachineHostname,
    string MachineKernel,
    int MachineCpus,
    string Dotnet,
    string TestbedVersion,
    IReadOnlyList<GatewayVersions> Gateways)
{
    /// <summary>One script per gateway reads everything (forks are expensive in a guest).</summary>
    public static async Task<GatewayVersions> ProbeAsync(IHostShell shell, CancellationToken ct)
    {
        var marker = LiveReader.NewMarker();
        string Part(string name, string cmd) => LiveReader.Section(marker, name, cmd);
        var script = Part("hostname", "uname -n") + Part("kernel", "uname -r") + Part("machine", "uname -m") +
                     Part("netperf", "netperf -V 2>&1") + Part("ip", "ip -V 2>&1") +
                     Part("cpus", "grep -c '^processor' /proc/cpuinfo") + Part("model", CpuModelScript) + LiveReader.End(marker);
        var r = await shell.RunAsync(new RemoteCommand(script), "read versions", TimeSpan.FromSeconds(30), ct);
        var s = LiveReader.Split(r.Stdout, marker);
        string Get(string k) => s.GetValueOrDefault(k)?.Trim() is { Length: > 0 } v ? v : "unknown";
        return new GatewayVersions(shell.Name, Get("hostname"), Get("kernel"), Get("machine"), Get("netperf"), Get("ip"),
            int.TryParse(Get("cpus"), out var n) ? n : 0, Get("model"));
    }

    /// <summary>The first "model name" of /proc/cpuinfo, or what a CPU without one calls itself.</summary>
    const string CpuModelScript = "sed -n 's/^\\(model name\\|cpu model\\|Processor\\)[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1";

    /// <summary>This machine's CPU model, from its /proc/cpuinfo.</summary>
    public static string ThisCpuModel() => CpuModel(File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "");

    public static string CpuModel(string cpuinfo) =>
        cpuinfo.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim() is "model name" or "cpu model" or "Processor")
            .Select(p => p[1].Trim()).FirstOrDefault(v => v.Length > 0) ?? "unknown";

    public static string ThisKernel() =>
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;

    public static string ToolVersion() =>
        typeof(RunInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
