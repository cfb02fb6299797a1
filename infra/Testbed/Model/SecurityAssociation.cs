using System.Net;
using Testbed.Secrets;

namespace Testbed.Model;

/// <summary>An algorithm and the key it runs with.</summary>
public sealed record KeyedAlgorithm(Algorithm Algorithm, Secret Key);

/// <summary>One manual SA, field for field as <c>ip xfrm state add</c> takes it.</summary>
public sealed record SecurityAssociation(
    Flow Flow,
    IPAddress Src,
    IPAddress Dst,
    string Proto,
    uint Spi,
    uint Reqid,
    IpsecMode Mode,
    int ReplayWindow,
    KeyedAlgorithm? Enc,
    KeyedAlgorithm? Auth,
    KeyedAlgorithm? Aead);

/// <summary>One template of a policy: which SA (by proto, reqid, mode and endpoints) must process the traffic.</summary>
public sealed record PolicyTemplate(IPAddress Src, IPAddress Dst, string Proto, uint Reqid, IpsecMode Mode);

public enum PolicyDir { Out, In, Fwd }

/// <summary>One policy as <c>ip xfrm policy</c> takes it: a selector, a direction and its template chain.</summary>
public sealed record SecurityPolicy(IPNetwork Src, IPNetwork Dst, PolicyDir Dir, IReadOnlyList<PolicyTemplate> Templates)
{
    public string DirName => Dir.ToString().ToLowerInvariant();
}
