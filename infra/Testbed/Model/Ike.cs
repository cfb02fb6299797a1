namespace Testbed.Model;

/// <summary>Who makes the SAs: the tool, by hand (<c>ip xfrm state add</c>), or an IKEv2 daemon that negotiates them.</summary>
public enum Keying { Manual, Ikev2 }

/// <summary>
/// IKEv2 keying as swanctl.conf declares it (strongSwan): the IKE proposal and the lifetimes of the IKE and child SAs.
/// The child's proposal is not declared here: it follows from the stack's suite (<see cref="IkeProposals"/>).
/// </summary>
/// <param name="Proposal">The IKE_SA proposal, e.g. <c>aes128-sha256-modp2048</c> (swanctl's <c>proposals</c>).</param>
/// <param name="IkeRekeyTime">When the IKE_SA is rekeyed (<c>rekey_time</c> of the connection).</param>
/// <param name="RekeyTime">When the child SA is rekeyed (<c>children.&lt;child&gt;.rekey_time</c>).</param>
/// <param name="LifeTime">When a child SA that was not rekeyed expires (<c>life_time</c>); after <see cref="RekeyTime"/>.</param>
/// <param name="RandTime">Up to how much earlier than <see cref="RekeyTime"/> the rekey may start (<c>rand_time</c>).</param>
/// <param name="DpdDelay">How often a quiet peer is probed (<c>dpd_delay</c>); zero turns dead peer detection off.</param>
public sealed record IkeSettings(string Proposal, TimeSpan IkeRekeyTime, TimeSpan RekeyTime, TimeSpan LifeTime, TimeSpan RandTime, TimeSpan DpdDelay)
{
    /// <summary>strongSwan's own defaults (4 h IKE, 1 h child, life 110 % of rekey) and a proposal every build of it has.</summary>
    public static readonly IkeSettings Default = new("aes128-sha256-modp2048", TimeSpan.FromHours(4), TimeSpan.FromHours(1),
        TimeSpan.FromMinutes(66), TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(30));

    /// <summary>How long a child SA outlives its rekey at least, unless <c>life-time</c> is declared (see StackLoader.ReadIke).</summary>
    public static readonly TimeSpan MinRekeyMargin = TimeSpan.FromSeconds(10);

    /// <summary>The name of the connection and of its child in swanctl (<c>swanctl --initiate --child testbed</c>).</summary>
    public const string Connection = "testbed";

    /// <summary>A time as swanctl.conf writes it: whole seconds, <c>20s</c>.</summary>
    public static string Time(TimeSpan t) => $"{(long)t.TotalSeconds}s";

    /// <summary>The pre-shared key's slot in the keyring: <c>ipsec.ike.psk</c> of the stack, or generated.</summary>
    public const string PskSlot = "ike.psk";

    /// <summary>A pre-shared key as the keyring makes and keeps one: 256 random bits, given to swanctl as hex.</summary>
    public static readonly Algorithm Psk = new("psk", 256);
}

/// <summary>
/// The child SA proposals strongSwan is offered for a protection. The suite names are strongSwan's own proposal keywords
/// (<see cref="CipherSuite"/>), so a suite maps to itself: <c>esp-aes128-sha1</c> → <c>esp_proposals = aes128-sha1</c>.
/// </summary>
public static class IkeProposals
{
    /// <summary>Why IKEv2 (strongSwan) cannot key this protection; null when it can.</summary>
    public static string? Problem(Protection protection) => protection.Proto switch
    {
        IpsecProto.None => "keying: ikev2 needs IPsec to key (proto is none)",
        // RFC 7296 negotiates one protocol per CHILD_SA; strongSwan offers AH and ESP proposals as alternatives, never as a bundle.
        IpsecProto.EspAh => "IKEv2 negotiates either ESP or AH for a child SA, never the esp+ah bundle (RFC 7296; strongSwan has no " +
                            "AH+ESP bundles); use proto esp or ah, or keying: manual",
        _ => null,
    };

    /// <summary>The swanctl option and value of the child's proposal: <c>("esp_proposals", "aes128-sha1")</c>.</summary>
    public static (string Option, string Value) Child(Protection protection) =>
        Problem(protection) is { } why ? throw new InvalidOperationException(why)
        : (protection.Proto == IpsecProto.Ah ? "ah_proposals" : "esp_proposals", protection.Suite!.Name);
}
