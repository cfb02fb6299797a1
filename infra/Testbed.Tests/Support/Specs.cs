using System.Net;
using Testbed.Model;
using Testbed.Secrets;

namespace Testbed.Tests.Support;

/// <summary>The two gateways of the local inventory, and testbeds built around them without reading any file.</summary>
public static class Specs
{
    public static readonly GatewayHost GwA = new("gw-a", Role.Sender, null, "vec0", Address("192.0.2.1/24"), IPNetwork.Parse("10.1.0.0/24"));
    public static readonly GatewayHost GwB = new("gw-b", Role.Receiver, null, "vec0", Address("192.0.2.2/24"), IPNetwork.Parse("10.2.0.0/24"));

    public static InterfaceAddress Address(string text) => InterfaceAddress.TryParse(text) ?? throw new ArgumentException(text);

    public static Protection P(string name) => Protection.Parse(name) ?? throw new ArgumentException($"not a protection: {name}");

    public static TestbedSpec Testbed(
        IpsecMode mode = IpsecMode.Tunnel,
        Protection? protection = null,
        SpiTable? spis = null,
        Link? link = null,
        KernelTuning? kernel = null,
        NicOptions? nic = null,
        int mtu = 1500,
        int replayWindow = 32) =>
        new("ipsec-testbed", "test", "stacks/Pulumi.test.yaml", "inventory/test.yaml", "ssh", [GwA, GwB],
            link ?? Link.Unshaped, kernel ?? Tuning.Tuned, nic ?? Tuning.TunedNic, mtu,
            new IpsecSettings(mode, protection ?? P("esp-aes128-sha1"), replayWindow, spis ?? SpiTable.Default,
                KeySource.Generate, new Dictionary<string, Secret>()));

    /// <summary>A keyring holding the keys of the captured 3des-sha1 SAs (Fixtures/captured).</summary>
    public static StackKeyring CapturedKeys() => new(new Dictionary<string, Secret>
    {
        ["forward.enc"] = Secret.FromHex(Fixture.ForwardEnc)!,
        ["forward.auth"] = Secret.FromHex(Fixture.ForwardAuth)!,
        ["reverse.enc"] = Secret.FromHex(Fixture.ReverseEnc)!,
        ["reverse.auth"] = Secret.FromHex(Fixture.ReverseAuth)!,
    });
}
