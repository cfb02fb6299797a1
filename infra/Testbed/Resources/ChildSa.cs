using Testbed.Model;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>
/// The child SA the IKE daemon negotiated between two gateways, read where it takes effect: the kernel's SAs between
/// their addresses (<c>ip xfrm state</c>), by protocol, mode and algorithms with their key and ICV sizes. SPIs and keys
/// change with every rekey and are not part of it.
/// </summary>
public sealed record ChildSaId(string Host, string Local, string Remote) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.ChildSa;
    public override string Name => $"{IkeSettings.Connection} {Local}<>{Remote}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["local"] = Local, ["remote"] = Remote };

    /// <summary>The kernel's SAs, then the SPIs the daemon says its child holds (<c>in c52000f1,</c>).</summary>
    public override string ReadScript =>
        $"{XfrmText.StateScript}; echo '{DaemonMarker}'; " +
        $"swanctl --list-sas --child {IkeSettings.Connection} 2>/dev/null | awk '$1==\"in\"||$1==\"out\"{{print $1, $2}}'";

    const string DaemonMarker = "@@ swanctl";

    public override Reading Parse(string output)
    {
        // Only SAs the daemon made count: manual ones between the same gateways (keying switched from manual) would read
        // as a perfectly declared child while nothing would be negotiated, and the tunnel gone once they are removed.
        var at = output.IndexOf(DaemonMarker, StringComparison.Ordinal);
        var daemons = at < 0 ? [] : output[(at + DaemonMarker.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length == 2)
            .Select(w => "0x" + w[1].TrimEnd(',').ToLowerInvariant()).ToHashSet();
        var mine = XfrmText.Blocks(at < 0 ? "" : output[..at])
            .Where(b => (b.Src, b.Dst) == (Local, Remote) || (b.Src, b.Dst) == (Remote, Local))
            .Where(b => b.Lines.Any(w => w is ["proto", _, "spi", var spi, ..] && daemons.Contains(spi.ToLowerInvariant()))).ToList();
        if (mine.Count == 0) return Reading.Absent;
        var first = mine[0];
        var f = new List<(string, string)>
        {
            ("proto", first.Lines.Select(w => w is ["proto", var p, ..] ? p : null).FirstOrDefault(p => p is not null) ?? "?"),
            ("mode", XfrmText.After(first, "mode")?[0] ?? "?"),
        };
        if (XfrmText.After(first, "aead") is [var aead, var aeadKey, var icv, ..]) f.Add(("aead", $"{aead} {KeyBits(aeadKey)} {icv}"));
        if (XfrmText.After(first, "enc") is [var enc, var encKey, ..] && enc != "ecb(cipher_null)") f.Add(("enc", $"{enc} {KeyBits(encKey)}"));
        if (XfrmText.After(first, "auth-trunc") is [var auth, var authKey, var trunc, ..]) f.Add(("auth-trunc", $"{auth} {KeyBits(authKey)} {trunc}"));
        var directions = mine.Select(b => b.Src).Distinct().Count();
        f.Add(("directions", directions == 2 ? "both" : $"only {mine[0].Src}>{mine[0].Dst}"));
        return Reading.Of(Fields.Of([.. f]));
    }

    static int KeyBits(string hex) => (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.Length - 2 : hex.Length) * 4;

    /// <summary>Closes the IKE SA and with it every child SA it made, on both gateways.</summary>
    public override RemoteCommand Restore(Fields? original) => original is not null ? RemoteCommand.Nothing : new(
        $"swanctl --terminate --ike {IkeSettings.Connection} --timeout 10 >/dev/null 2>&1 || true");
}

/// <summary>
/// The negotiated child SA, brought up from the sender (the initiator): as declared when the kernel holds SAs in both
/// directions with the declared protocol, mode and algorithms. A differing one is replaced by negotiating anew.
/// </summary>
public sealed record ChildSa : Resource
{
    public required string Local { get; init; }
    public required string Remote { get; init; }
    public required Protection Protection { get; init; }
    public required IpsecMode Mode { get; init; }
    /// <summary>The connection on both gateways: a changed one (IKE proposal, lifetimes, key) is negotiated again.</summary>
    public required IReadOnlyList<string> ConnUrns { get; init; }

    /// <summary>
    /// How often the initiator tries (the peer's daemon may still be loading its side), each bounded so that all of them
    /// end within the engine's 60 s step timeout with the daemon's reason rather than a timeout.
    /// </summary>
    const int Attempts = 5, AttemptSeconds = 8;

    public override ChildSaId Id => new(Host, Local, Remote);

    public override Fields Desired
    {
        get
        {
            var suite = Protection.Suite!;
            var f = new List<(string, string)> { ("proto", Protection.Proto == IpsecProto.Ah ? "ah" : "esp"), ("mode", IpsecNames.Of(Mode)) };
            if (suite.Aead is { } aead) f.Add(("aead", $"{aead.Name} {aead.KeyBits} {aead.TruncBits}"));
            if (suite.Enc is { } enc && Protection.Proto != IpsecProto.Ah) f.Add(("enc", $"{enc.Name} {enc.KeyBits}"));
            if (suite.Auth is { } auth) f.Add(("auth-trunc", $"{auth.Name} {auth.KeyBits} {auth.TruncBits}"));
            f.Add(("directions", "both"));
            return Fields.Of([.. f]);
        }
    }

    public override RemoteCommand Apply(Reading live)
    {
        var conn = IkeSettings.Connection;
        // A child SA that differs is replaced whole: the IKE SA goes too, so a changed IKE proposal is negotiated afresh.
        var reset = live.Value is null ? "" : $"swanctl --terminate --ike {conn} --timeout 10 >/dev/null 2>&1; ";
        return new RemoteCommand(reset +
            $"n=0; while :; do out=$(swanctl --initiate --child {conn} --timeout {AttemptSeconds} 2>&1) && exit 0; n=$((n+1)); [ $n -ge {Attempts} ] && break; sleep 2; done; " +
            // swanctl streams the daemon's log of the exchange; the lines that say why are the ones to keep.
            "printf '%s\\n' \"$out\" | grep -v \"^plugin '\" | grep -E 'received|failed|error|AUTH|NO_PROPOSAL|timed out|giving up|retransmit' | tail -n 6 >&2; " +
            $"echo 'the IKEv2 negotiation with {Remote} failed {Attempts} times' >&2; exit 1");
    }

    public override Change ChangeFrom(Fields live) => Change.Replace;

    public override IEnumerable<string> DependsOn => ConnUrns;

    public override bool RenewedWithDependencies => true;
}
