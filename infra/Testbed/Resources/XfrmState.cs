using Testbed.Model;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>A security association, identified as the kernel identifies it (dst, proto, spi; we add src).</summary>
public sealed record XfrmStateId(string Host, string Src, string Dst, string Proto, uint Spi) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.XfrmState;
    public override string Name => XfrmText.SaName(Proto, Spi, Src, Dst);

    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string>
    {
        ["src"] = Src, ["dst"] = Dst, ["proto"] = Proto, ["spi"] = XfrmText.Hex(Spi),
    };

    public override string ReadScript => XfrmText.StateScript;

    public override Reading Parse(string output)
    {
        foreach (var block in XfrmText.Blocks(output))
        {
            if (block.Src != Src || block.Dst != Dst) continue;
            // A state block has "proto esp spi 0x…"; a policy block (same output) has "dir" and template lines instead.
            if (!block.Lines.Any(w => w is ["proto", var p, "spi", var spi, ..] && p == Proto && XfrmText.ParseNumber(spi) == Spi)) continue;
            var f = new List<(string, string)>
            {
                ("reqid", XfrmText.After(block, "reqid")?[0] ?? "?"),
                ("mode", XfrmText.After(block, "mode")?[0] ?? "?"),
                ("replay-window", XfrmText.After(block, "replay-window")?[0] ?? "?"),
            };
            if (XfrmText.After(block, "aead") is [var aeadName, var aeadKey, var icv, ..]) f.Add(("aead", $"{aeadName} {Secrets.Fingerprints.OfHex(aeadKey)} {icv}"));
            if (XfrmText.After(block, "enc") is [var encName, var encKey, ..] && encName != "ecb(cipher_null)") f.Add(("enc", $"{encName} {Secrets.Fingerprints.OfHex(encKey)}"));
            if (XfrmText.After(block, "auth-trunc") is [var authName, var authKey, var trunc, ..]) f.Add(("auth-trunc", $"{authName} {Secrets.Fingerprints.OfHex(authKey)} {trunc}"));
            return Reading.Of(Fields.Of([.. f]));
        }
        return Reading.Absent;
    }

    internal string Selector => $"src {Sh.Quote(Src)} dst {Sh.Quote(Dst)} proto {Sh.Quote(Proto)} spi {XfrmText.Hex(Spi)}";

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip xfrm state delete {Selector} 2>/dev/null || true") : RemoteCommand.Nothing;
}

/// <summary>
/// A manual security association to install. Any change of algorithm, key, mode or reqid replaces it:
/// <c>ip xfrm state update</c> cannot change them. Keys go to the host on stdin (<c>ip -batch -</c>) so they never
/// show in its process list.
/// </summary>
public sealed record XfrmState : Resource
{
    public required string Src { get; init; }
    public required string Dst { get; init; }
    public required string Proto { get; init; }
    public required uint Spi { get; init; }
    public required SecurityAssociation Sa { get; init; }

    public static XfrmState For(string host, SecurityAssociation sa) => new()
    {
        Host = host, Src = sa.Src.ToString(), Dst = sa.Dst.ToString(), Proto = sa.Proto, Spi = sa.Spi, Sa = sa,
    };

    public override XfrmStateId Id => new(Host, Src, Dst, Proto, Spi);

    public override Fields Desired
    {
        get
        {
            var f = new List<(string, string)>
            {
                ("reqid", Sa.Reqid.ToString()),
                ("mode", IpsecNames.Of(Sa.Mode)),
                ("replay-window", Sa.ReplayWindow.ToString()),
            };
            if (Sa.Aead is { } aead) f.Add(("aead", $"{aead.Algorithm.Name} {aead.Key.Fingerprint} {aead.Algorithm.TruncBits}"));
            if (Sa.Enc is { } enc) f.Add(("enc", $"{enc.Algorithm.Name} {enc.Key.Fingerprint}"));
            if (Sa.Auth is { } auth) f.Add(("auth-trunc", $"{auth.Algorithm.Name} {auth.Key.Fingerprint} {auth.Algorithm.TruncBits}"));
            return Fields.Of([.. f]);
        }
    }

    public override RemoteCommand Apply(Reading live)
    {
        var add = $"xfrm state add src {Sa.Src} dst {Sa.Dst} proto {Sa.Proto} spi {XfrmText.Hex(Sa.Spi)} reqid {Sa.Reqid} " +
                  $"mode {IpsecNames.Of(Sa.Mode)} replay-window {Sa.ReplayWindow}";
        if (Sa.Aead is { } aead) add += $" aead {aead.Algorithm.Name} {aead.Key.RevealHex()} {aead.Algorithm.TruncBits}";
        if (Sa.Enc is { } enc) add += $" enc {enc.Algorithm.Name} {enc.Key.RevealHex()}";
        if (Sa.Auth is { } auth) add += $" auth-trunc {auth.Algorithm.Name} {auth.Key.RevealHex()} {auth.Algorithm.TruncBits}";
        // Delete first so that a rerun (or a replacement) starts from nothing; the add reads its line from stdin.
        return new RemoteCommand($"ip xfrm state delete {Id.Selector} 2>/dev/null; ip -batch -", add + "\n");
    }

    public override Change ChangeFrom(Fields live) => Change.Replace;

    // A sender's SA that is created anew counts its sequence numbers from 1 again; the receiver's copy would still
    // hold its old replay window and drop every packet as a replay. So both copies are made together.
    public override string? PairKey => Name;

    public override bool Exclusive => true;
}
