using System.Text.Json.Serialization;
using Testbed.Measurement;

namespace Testbed.Bench;

public static class CellStatus
{
    public const string Ok = "ok";
    public const string Failed = "failed";
}

/// <summary>
/// One finished cell as appended to <c>cells.jsonl</c>: what was measured (key and run parameters, on which stack),
/// the outcome and the full measurement (netperf, both gateways' CPU, the SAs' counters). The ratio to plain IP is
/// not stored: it is computed from the plain-IP cell of the same group whenever results are written.
/// </summary>
public sealed record BenchRecord(
    CellKey Cell,
    RunParameters Run,
    string Stack,
    string Matrix,
    string Session,
    string Status,
    DateTimeOffset Finished,
    CaseResult? Result = null,
    string? Error = null)
{
    [JsonIgnore]
    public bool Ok => Status == CellStatus.Ok && Result is not null;

    /// <summary>Whether this record answers the cell as the current run would measure it: same key, same netperf parameters, same stack.</summary>
    public bool Answers(CellKey key, RunParameters run, string stack) => Ok && Cell == key && Run == run && Stack == stack;
}

/// <summary>A machine and its gateways: what every number of a session was measured with.</summary>
/// <param name="HostKind">"local" (user-mode Linux guests on this machine) or "ssh" (lab hosts).</param>
public sealed record BenchEnvironment(
    string Stack,
    string HostKind,
    string HostKindDescription,
    string ToolVersion,
    string Dotnet,
    string MachineHostname,
    string MachineKernel,
    string MachineCpuModel,
    int MachineCpus,
    IReadOnlyList<GatewayVersions> Gateways);

/// <summary>One run of the bench command over an output folder (a resumed matrix has several), appended to <c>sessions.jsonl</c>.</summary>
/// <param name="HostMaxMtu">The largest MTU the gateways took, what an experiment's "maxMtu" stood for.</param>
public sealed record BenchSession(
    string Id,
    DateTimeOffset Started,
    string Matrix,
    RunParameters Run,
    int CellsPlanned,
    int CellsSkipped,
    string Estimate,
    BenchEnvironment Environment,
    int HostMaxMtu,
    string? Note = null);
