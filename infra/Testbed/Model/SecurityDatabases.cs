using System.Net;
using Testbed.Secrets;

namespace Testbed.Model;

/// <summary>
/// The security association and policy databases (RFC 4301's SAD and SPD; <c>ip xfrm state</c> and <c>ip xfrm policy</c>)
/// a stack's IPsec settings imply: one SA per flow (two for esp+ah), installed on both
/// gateways; on each gateway an <c>out</c> policy for what it sends and <c>in</c> (and in tunnel mode <c>fwd</c>)
/// policies for what it receives.
/// </summary>
public static class SecurityDatabases
{
    public sealed record HostPolicy(GatewayHost Host, SecurityPolicy Policy);

    public sealed record Result(IReadOnlyList<SecurityAssociation> Sas, IReadOnlyList<HostPolicy> Policies);

    public static Result For(TestbedSpec spec, IKeyring keys)
    {
        var ipsec = spec.Ipsec;
        if (ipsec.Protection.Proto == IpsecProto.None) return new Result([], []);

        var sas = new List<SecurityAssociation>();
        var policies = new List<HostPolicy>();
        foreach (var flow in new[] { Flow.Forward, Flow.Reverse })
        {
            var (from, to) = flow == Flow.Forward ? (spec.Sender, spec.Receiver) : (spec.Receiver, spec.Sender);
            var flowSas = SasFor(flow, from.Address.Address, to.Address.Address, ipsec, keys);
            sas.AddRange(flowSas);

            var (srcSel, dstSel) = ipsec.Mode == IpsecMode.Tunnel
                ? (from.Site, to.Site)
                : (new IPNetwork(from.Address.Address, 32), new IPNetwork(to.Address.Address, 32));
            var templates = flowSas.Select(sa => new PolicyTemplate(sa.Src, sa.Dst, sa.Proto, sa.Reqid, sa.Mode)).ToList();
            policies.Add(new HostPolicy(from, new SecurityPolicy(srcSel, dstSel, PolicyDir.Out, templates)));
            policies.Add(new HostPolicy(to, new SecurityPolicy(srcSel, dstSel, PolicyDir.In, templates)));
            if (ipsec.Mode == IpsecMode.Tunnel)
                policies.Add(new HostPolicy(to, new SecurityPolicy(srcSel, dstSel, PolicyDir.Fwd, templates)));
        }
        return new Result(sas, policies);
    }

    /// <summary>
    /// The SAs of one flow, innermost first. In an esp+ah bundle ESP encrypts (in the stack's mode) and AH,
    /// in transport mode around it, authenticates the outer packet.
    /// </summary>
    static List<SecurityAssociation> SasFor(Flow flow, IPAddress src, IPAddress dst, IpsecSettings ipsec, IKeyring keys)
    {
        var suite = ipsec.Protection.Suite!;
        var proto = ipsec.Protection.Proto;
        var reqid = ipsec.Spis.Reqid(flow);
        var f = flow.ToString().ToLowerInvariant();
        KeyedAlgorithm? Keyed(Algorithm? alg, string xfrmProto, string use) =>
            alg is null ? null : new KeyedAlgorithm(alg, keys.Key($"{f}/{xfrmProto}/{use}", alg));
        SecurityAssociation Sa(string xfrmProto, IpsecMode mode, KeyedAlgorithm? enc, KeyedAlgorithm? auth, KeyedAlgorithm? aead) =>
            new(flow, src, dst, xfrmProto, ipsec.Spis.Spi(flow, xfrmProto, proto), reqid, mode, ipsec.ReplayWindow, enc, auth, aead);

        return proto switch
        {
            IpsecProto.Ah => [Sa("ah", ipsec.Mode, null, Keyed(suite.Auth, "ah", "auth"), null)],
            IpsecProto.Esp => [Sa("esp", ipsec.Mode, Keyed(suite.Enc, "esp", "enc"), Keyed(suite.Auth, "esp", "auth"), Keyed(suite.Aead, "esp", "aead"))],
            IpsecProto.EspAh =>
            [
                Sa("esp", ipsec.Mode, Keyed(suite.Enc, "esp", "enc"), null, null),
                Sa("ah", IpsecMode.Transport, null, Keyed(suite.Auth, "ah", "auth"), null),
            ],
            _ => [],
        };
    }
}
