using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Testbed.Engine;
using Testbed.Resources;

namespace Testbed.Cli.Verbs;

/// <summary><c>status</c>: the hosts, how they are reached, and every managed setting as recorded and as it is now.</summary>
public static class StatusVerb
{
    public static Command Build()
    {
        var stack = Verb.StackOption();
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };
        var cmd = new Command("status", "Show hosts, endpoints and each managed setting (recorded and live)") { stack, json };
        cmd.SetAction((pr, ct) => Verb.Guard(async () =>
        {
            await using var d = Verb.Open(pr.GetValue(stack)!, "status", exclusive: false);
            var report = await Collect(d, ct);
            if (pr.GetValue(json)) Console.WriteLine(Secrets.Redactor.Redact(JsonSerializer.Serialize(report, Model.JsonTypes.Of<Report>(Json))));
            else Print(Verb.Console, report);
            return Exit.Ok;
        }));
        return cmd;
    }

    /// <summary><c>status --json</c>: written as the state file is (<see cref="StateStore.Json"/>), with the report's types compiled in.</summary>
    public static readonly JsonSerializerOptions Json = new(StateStore.Json) { TypeInfoResolver = StatusJsonContext.Default };

    public sealed record HostStatus(string Name, string Role, string? Endpoint, bool Running, string? BootId, string Nic, string Address, string Site);
    public sealed record SettingStatus(string Host, string Kind, string Name, RecordStatus Status, string? Original, string? Applied, string? Live, bool Drifted);
    public sealed record Report(string Project, string Stack, string Provider, DateTimeOffset? LastUp,
        IReadOnlyDictionary<string, string> Facts, IReadOnlyList<HostStatus> Hosts, IReadOnlyList<SettingStatus> Settings);

    public static async Task<Report> Collect(Deployment d, CancellationToken ct)
    {
        var topology = await d.ReachAsync(bringUp: false, ct);
        var resources = d.State.Resources.Where(r => DriftDetector.Readable(topology, r.Host)).Select(r => r.Rehydrate()).ToList();
        var readings = await d.ReadAsync(resources, ct);
        var hosts = topology.Gateways.Select(g => new HostStatus(g.Name, g.Role.ToString().ToLowerInvariant(), g.Ssh?.ToString(),
            !topology.Down.Contains(g.Name), readings.GetValueOrDefault(g.Name)?.BootId, g.Nic, g.Address.ToString(), g.Site.ToString())).ToList();
        var settings = d.State.Resources.Select(r =>
        {
            var live = readings.GetValueOrDefault(r.Host)?.Readings.GetValueOrDefault(r.Urn);
            var name = r.Urn[(r.Host.Length + r.Kind.Name.Length + 2)..];
            var applied = r.Settled is null ? r.Applied?.ToString() : $"{r.Applied} (driver: {r.Settled})";
            return new SettingStatus(r.Host, r.Kind.Name, name, r.Status, r.Original?.ToString() ?? "(absent)", applied,
                live is null ? null : live.Value?.ToString() ?? "(absent)", live is not null && DriftDetector.Of(r, live) is not null);
        }).ToList();
        return new Report(d.Project.Name, d.Spec.Stack, d.Provider.Kind, d.State.LastUp,
            topology.Facts.ToDictionary(f => f.Key, f => f.Value), hosts, settings);
    }

    static void Print(IAnsiConsole console, Report r)
    {
        console.MarkupLineInterpolated($"Stack [bold]{r.Stack}[/] of {r.Project} (provider {r.Provider}), last up {r.LastUp?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "never"}");
        foreach (var (k, v) in r.Facts) console.MarkupLineInterpolated($"  {k}: {v}");
        var hosts = new Table().AddColumns("host", "role", "ssh", "running", "nic", "address", "site");
        foreach (var h in r.Hosts)
            hosts.AddRow(Markup.Escape(h.Name), h.Role, Markup.Escape(h.Endpoint ?? "-"), h.Running ? "[green]yes[/]" : "[red]no[/]", Markup.Escape(h.Nic), h.Address, h.Site);
        console.Write(hosts);
        var settings = new Table().AddColumns("host", "kind", "name", "original", "applied", "live");
        foreach (var s in r.Settings)
            settings.AddRow(Markup.Escape(s.Host), Markup.Escape(s.Kind), Markup.Escape(s.Name), Markup.Escape(s.Original ?? ""),
                Markup.Escape(s.Applied ?? "") + (s.Status == RecordStatus.Applied ? "" : " [yellow](pending)[/]"),
                s.Live is null ? "[grey]unknown[/]" : s.Drifted ? $"[red]{Markup.Escape(s.Live)}[/]" : Markup.Escape(s.Live));
        console.Write(settings);
        console.MarkupLineInterpolated($"{r.Settings.Count} managed settings, {r.Settings.Count(s => s.Drifted)} drifted");
    }
}

[JsonSerializable(typeof(StatusVerb.Report))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
