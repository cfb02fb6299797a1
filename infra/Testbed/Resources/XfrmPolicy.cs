using Testbed.Model;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>A security policy, by its selector and direction.</summary>
public sealed record XfrmPolicyId(string Host, string Src, string Dst, string Dir) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.XfrmPolicy;
    public override string Name => $"{Src}>{Dst} dir {Dir}";

    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string>
    {
        ["src"] = Src, ["dst"] = Dst, ["dir"] = Dir,
    };

    public override string ReadScript => XfrmText.PolicyScript;

    public override Reading Parse(string output)
    {
        foreach (var block in XfrmText.Blocks(output))
        {
            if (block.Src != Src || block.Dst != Dst || !block.Lines.Any(w => w is ["dir", var d, ..] && d == Dir)) continue;
            var templates = new List<(string, string)>();
            string? tSrc = null, tDst = null;
            foreach (var words in block.Lines)
            {
                if (words is ["tmpl", "src", var s, "dst", var d, ..]) (tSrc, tDst) = (s, d);
                else if (words is ["proto", var proto, "reqid", var reqid, "mode", var mode, ..] && tSrc is not null)
                    templates.Add(($"tmpl{templates.Count + 1}", $"src {tSrc} dst {tDst} proto {proto} reqid {reqid} mode {mode}"));
            }
            return Reading.Of(Fields.Of([.. templates]));
        }
        return Reading.Absent;
    }

    internal string Selector => $"src {Sh.Quote(Src)} dst {Sh.Quote(Dst)} dir {Sh.Quote(Dir)}";

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip xfrm policy delete {Selector} 2>/dev/null || true") : RemoteCommand.Nothing;
}

/// <summary>
/// A security policy: traffic matching the selector in a direction must pass the template chain.
/// Template changes update it in place (<c>ip xfrm policy update</c>).
/// </summary>
public sealed record XfrmPolicy : Resource
{
    public required string Src { get; init; }
    public required string Dst { get; init; }
    public required string Dir { get; init; }
    public IReadOnlyList<PolicyTemplate> Templates { get; init; } = [];
    public IReadOnlyList<string> StateUrns { get; init; } = [];

    public static XfrmPolicy For(string host, SecurityPolicy sp, IEnumerable<string> stateUrns) => new()
    {
        Host = host, Src = sp.Src.ToString(), Dst = sp.Dst.ToString(), Dir = sp.DirName, Templates = sp.Templates, StateUrns = stateUrns.ToList(),
    };

    public override XfrmPolicyId Id => new(Host, Src, Dst, Dir);

    // Policies reference SAs by reqid: the SAs go in first and come out last.
    public override IEnumerable<string> DependsOn => StateUrns;

    public override Fields Desired => Fields.Of(Templates.Select((t, i) => ($"tmpl{i + 1}", Describe(t))).ToArray());

    static string Describe(PolicyTemplate t) =>
        $"src {t.Src} dst {t.Dst} proto {t.Proto} reqid {t.Reqid} mode {IpsecNames.Of(t.Mode)}";

    public override RemoteCommand Apply(Reading live) =>
        new($"ip xfrm policy update {Id.Selector}" + string.Concat(Templates.Select(t =>
            $" tmpl src {t.Src} dst {t.Dst} proto {t.Proto} reqid {t.Reqid} mode {IpsecNames.Of(t.Mode)}")));

    public override bool Exclusive => true;
}
