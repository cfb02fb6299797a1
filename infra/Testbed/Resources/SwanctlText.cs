using System.Net;
using System.Text;
using Testbed.Model;
using Testbed.Secrets;

namespace Testbed.Resources;

/// <summary>
/// Renders a gateway's swanctl.conf snippet: one IKEv2 connection to its peer, authenticated with the pre-shared key,
/// and one child whose proposal is the stack's suite. Both gateways get the same connection seen from their side.
/// </summary>
public static class SwanctlText
{
    /// <param name="initiator">The gateway that brings the child up (the sender); the other only answers.</param>
    public static string Render(TestbedSpec spec, GatewayHost me, bool initiator, Secret psk)
    {
        var ipsec = spec.Ipsec;
        var ike = ipsec.Ike;
        var peer = spec.Peer(me);
        var (option, proposal) = IkeProposals.Child(ipsec.Protection);
        var (localTs, remoteTs) = ipsec.Mode == IpsecMode.Tunnel
            ? (me.Site.ToString(), peer.Site.ToString())
            : ("dynamic", "dynamic");
        string T(TimeSpan t) => IkeSettings.Time(t);
        var conn = IkeSettings.Connection;
        var (local, remote) = (me.Address.Address, peer.Address.Address);
        return new StringBuilder()
            .AppendLine($"# Written by ipsec-testbed for stack {spec.Stack}; `up` rewrites it and `destroy` removes it.")
            .AppendLine("connections {")
            .AppendLine($"    {conn} {{")
            .AppendLine("        version = 2")
            .AppendLine($"        local_addrs = {local}")
            .AppendLine($"        remote_addrs = {remote}")
            .AppendLine($"        proposals = {ike.Proposal}")
            .AppendLine($"        rekey_time = {T(ike.IkeRekeyTime)}")
            .AppendLine($"        dpd_delay = {T(ike.DpdDelay)}")
            .AppendLine("        local {")
            .AppendLine("            auth = psk")
            .AppendLine($"            id = {local}")
            .AppendLine("        }")
            .AppendLine("        remote {")
            .AppendLine("            auth = psk")
            .AppendLine($"            id = {remote}")
            .AppendLine("        }")
            .AppendLine("        children {")
            .AppendLine($"            {conn} {{")
            .AppendLine($"                mode = {IpsecNames.Of(ipsec.Mode)}")
            .AppendLine($"                local_ts = {localTs}")
            .AppendLine($"                remote_ts = {remoteTs}")
            .AppendLine($"                {option} = {proposal}")
            .AppendLine($"                replay_window = {ipsec.ReplayWindow}")
            .AppendLine($"                rekey_time = {T(ike.RekeyTime)}")
            .AppendLine($"                life_time = {T(ike.LifeTime)}")
            .AppendLine($"                rand_time = {T(ike.RandTime)}")
            // The initiator brings the child back after a dead peer; the responder clears and waits to be asked again.
            .AppendLine($"                dpd_action = {(initiator ? "restart" : "clear")}")
            .AppendLine("            }")
            .AppendLine("        }")
            .AppendLine("    }")
            .AppendLine("}")
            .AppendLine("secrets {")
            .AppendLine($"    ike-{conn} {{")
            .AppendLine($"        id-local = {local}")
            .AppendLine($"        id-remote = {remote}")
            .AppendLine($"        secret = {psk.RevealHex()}")
            .AppendLine("    }")
            .AppendLine("}")
            .ToString();
    }
}
