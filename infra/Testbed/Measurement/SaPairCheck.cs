using Testbed.Engine;
using Testbed.Resources;
using Testbed.Transport;

namespace Testbed.Measurement;

/// <summary>What the SA check found: problems (empty when all is as declared) and, per gateway, the SAs it saw.</summary>
public sealed record SaPairReport(IReadOnlyList<string> Problems, IReadOnlyDictionary<string, IReadOnlyList<string>> Found)
{
    public bool Ok => Problems.Count == 0;

    public string Describe() => string.Join("; ", Found.Select(kv => $"{kv.Key}: {(kv.Value.Count == 0 ? "no SA, no policy" : string.Join(", ", kv.Value))}"));
}

/// <summary>
/// Checks, before anything is measured, that the gateways hold exactly the SAs the engine declared for the case:
/// every expected SA on each gateway with its SPI, mode, reqid, algorithms and key (as a fingerprint), so both
/// ends agree; no other SA; and for plain IP, no SA and no policy at all. Keys are fingerprinted as they are read.
/// </summary>
public static class SaPairCheck
{
    public static async Task<SaPairReport> CheckAsync(IReadOnlyList<XfrmState> expected, IReadOnlyDictionary<string, IHostShell> gateways, CancellationToken ct)
    {
        var problems = new List<string>();
        var found = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (host, shell) in gateways)
        {
            var marker = LiveReader.NewMarker();
            var script = LiveReader.Section(marker, "state", XfrmText.StateScript) + LiveReader.Section(marker, "policy", XfrmText.PolicyScript) +
                         LiveReader.End(marker);
            var r = await shell.RunAsync(new RemoteCommand(script), "read SAs and policies", TimeSpan.FromSeconds(30), ct);
            var sections = LiveReader.Split(r.Stdout, marker);
            var states = sections.GetValueOrDefault("state") ?? "";
            var policies = XfrmText.Blocks(sections.GetValueOrDefault("policy") ?? "").ToList();

            var mine = expected.Where(x => x.Host == host).ToList();
            var seen = new List<string>();
            foreach (var x in mine)
            {
                var reading = x.Parse(states);
                if (reading.Value is null)
                {
                    problems.Add($"{host}: {x.Name} is missing");
                    continue;
                }
                seen.Add($"{x.Name} {reading.Value}");
                if (!reading.Value.Equals(x.Desired))
                    problems.Add($"{host}: {x.Name} differs from the declaration: {string.Join(", ", Fields.Diff(x.Desired, reading.Value))}");
            }
            foreach (var name in SaCounter.Parse(states).Select(sa => sa.Name).Where(n => mine.All(x => x.Name != n)))
            {
                problems.Add($"{host}: an SA that the case does not declare is installed: {name}");
                seen.Add(name + " (unexpected)");
            }
            if (expected.Count == 0 && policies.Count > 0)
                problems.Add($"{host}: plain IP, yet {policies.Count} xfrm polic{(policies.Count == 1 ? "y" : "ies")} would steer traffic: " +
                             string.Join(", ", policies.Select(p => $"{p.Src}>{p.Dst} {string.Join(' ', XfrmText.After(p, "dir")?.Take(1) ?? [])}")));
            found[host] = seen;
        }
        return new SaPairReport(problems, found);
    }
}
