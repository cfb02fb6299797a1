namespace Testbed.Model;

public enum IpsecMode { Transport, Tunnel }

/// <summary>Which IPsec protocols protect the path. <c>EspAh</c> is ESP for confidentiality inside AH for integrity.</summary>
public enum IpsecProto { None, Ah, Esp, EspAh }

public static class IpsecNames
{
    public static string Of(IpsecMode mode) => mode == IpsecMode.Tunnel ? "tunnel" : "transport";

    public static string Of(IpsecProto proto) => proto switch
    {
        IpsecProto.None => "none",
        IpsecProto.Ah => "ah",
        IpsecProto.Esp => "esp",
        _ => "esp+ah",
    };

    public static IpsecMode? ParseMode(string text) => text switch
    {
        "tunnel" => IpsecMode.Tunnel,
        "transport" => IpsecMode.Transport,
        _ => null,
    };

    public static IpsecProto? ParseProto(string text) => text switch
    {
        "none" => IpsecProto.None,
        "ah" => IpsecProto.Ah,
        "esp" => IpsecProto.Esp,
        "esp+ah" => IpsecProto.EspAh,
        _ => null,
    };
}

/// <summary>
/// What protects the path: a protocol and the suite it carries, named as the figures and the baselines
/// name a case: <c>plain</c>, <c>ah-md5</c>, <c>esp-aes128-sha1</c>, <c>esp+ah-3des-sha1</c>.
/// </summary>
public sealed record Protection(IpsecProto Proto, CipherSuite? Suite)
{
    public static readonly Protection Plain = new(IpsecProto.None, null);

    public string Name => Proto == IpsecProto.None ? "plain" : $"{IpsecNames.Of(Proto)}-{Suite!.Name}";

    public string Label => Proto switch
    {
        IpsecProto.None => "Plain IP",
        IpsecProto.Ah => $"AH {Suite!.Label}",
        IpsecProto.Esp => $"ESP {Suite!.Label}",
        _ => $"ESP+AH {Suite!.Label}",
    };

    /// <summary>Why this protocol cannot carry this suite, or null when it can.</summary>
    public string? Problem => (Proto, Suite) switch
    {
        (IpsecProto.None, _) => null,
        (_, null) => "a suite is required",
        (IpsecProto.Ah, { HasEncryption: true }) => $"AH only authenticates; suite {Suite.Name} encrypts (use proto esp)",
        (IpsecProto.Ah, { Auth: null }) => $"AH needs an integrity algorithm; suite {Suite.Name} has none",
        (IpsecProto.Esp, { HasEncryption: false }) => $"ESP here needs an encryption algorithm; suite {Suite.Name} has none (use proto ah)",
        (IpsecProto.EspAh, { Aead: not null }) => $"esp+ah pairs a cipher with an AH integrity algorithm; {Suite.Name} is an AEAD (use proto esp)",
        (IpsecProto.EspAh, { Enc: null } or { Auth: null }) => $"esp+ah needs both a cipher and an integrity algorithm; {Suite.Name} lacks one",
        _ => null,
    };

    /// <summary>Parses a case name such as <c>esp-aes128-sha1</c>; null when it is not one.</summary>
    public static Protection? Parse(string name)
    {
        if (name == "plain") return Plain;
        foreach (var proto in new[] { IpsecProto.EspAh, IpsecProto.Esp, IpsecProto.Ah })
        {
            var prefix = IpsecNames.Of(proto) + "-";
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var suite = CipherSuites.Find(name[prefix.Length..]);
            if (suite is null) return null;
            var p = new Protection(proto, suite);
            return p.Problem is null ? p : null;
        }
        return null;
    }

    public override string ToString() => Name;
}

/// <summary>The direction of a security association relative to the netperf stream.</summary>
public enum Flow { Forward, Reverse }

/// <summary>SPIs and reqids of the two directions; <c>AhSpi</c> is used by the AH half of an esp+ah bundle.</summary>
public sealed record SpiTable(uint ForwardSpi, uint ReverseSpi, uint ForwardAhSpi, uint ReverseAhSpi, uint ForwardReqid, uint ReverseReqid)
{
    public static readonly SpiTable Default = new(0x1001, 0x1002, 0x2001, 0x2002, 1, 2);

    public uint Spi(Flow flow, string xfrmProto, IpsecProto bundle) =>
        (xfrmProto, bundle, flow) switch
        {
            ("ah", IpsecProto.EspAh, Flow.Forward) => ForwardAhSpi,
            ("ah", IpsecProto.EspAh, Flow.Reverse) => ReverseAhSpi,
            (_, _, Flow.Forward) => ForwardSpi,
            _ => ReverseSpi,
        };

    public uint Reqid(Flow flow) => flow == Flow.Forward ? ForwardReqid : ReverseReqid;
}

/// <summary>Where SA keys come from: the stack file (secret values) or generated once and kept by the tool.</summary>
public enum KeySource { Generate, Stack }

public sealed record IpsecSettings(
    IpsecMode Mode,
    Protection Protection,
    int ReplayWindow,
    SpiTable Spis,
    KeySource Keys,
    IReadOnlyDictionary<string, Secrets.Secret> StackKeys)
{
    /// <summary>Manual SAs (the paper's way, and the default) or SAs negotiated by an IKEv2 daemon.</summary>
    public Keying Keying { get; init; } = Keying.Manual;

    /// <summary>The IKEv2 settings; used only with <see cref="Keying.Ikev2"/>.</summary>
    public IkeSettings Ike { get; init; } = IkeSettings.Default;

    public IpsecSettings With(Protection protection) => this with { Protection = protection };
}
