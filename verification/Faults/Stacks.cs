namespace Verification.Faults;

/// <summary>The stacks of the fault tests. Their names start with "faults-" so that nobody else's stack is touched.</summary>
public static class Stacks
{
    /// <summary>Boots the two guests and changes nothing in them: to the lab stack they are hosts it did not create.</summary>
    public const string Hosts = "faults-hosts";

    /// <summary>The full tuned ESP tunnel, keys from the stack file, hosts reached over SSH through the proxy.</summary>
    public const string Lab = "faults-lab";

    /// <summary>Generated keys (kept encrypted in the state folder), on the same hosts, for the secret tests.</summary>
    public const string Generated = "faults-gen";

    /// <summary>Points at ports where no SSH server answers.</summary>
    public const string Unreachable = "faults-unreach";

    public const string BadKeyFile = "faults-badkey";
    public const string ClearKey = "faults-clearkey";
    public const string WrongLength = "faults-badlen";

    public static readonly string[] All = [Hosts, Lab, Generated, Unreachable, BadKeyFile, ClearKey, WrongLength];

    // Transport mode and no IPsec: in tunnel mode even proto none would declare site0, which is the lab stack's.
    public const string HostsYaml = """
        # The fault tests' guests: booted, and otherwise left exactly as they come up.
        config:
          ipsec-testbed:inventory: local
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: stock
          ipsec-testbed:mtu: 1500
          ipsec-testbed:ipsec: {mode: transport, proto: none}
        """;

    // No offloads: on the UML vector NIC `ethtool -K vec0 gso off` also drops TSO for good, which destroy cannot undo.
    public const string LabYaml = """
        # The fault tests' lab: the paper's tuned testbed with an ESP tunnel; its keys are secret values set by `config set --secret`.
        config:
          ipsec-testbed:inventory: faults-lab
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: tuned
          ipsec-testbed:mtu: 1500
          ipsec-testbed:ipsec:
            mode: tunnel
            proto: esp
            suite: aes128-sha1
            replay-window: 32
            keys: stack
        """;

    /// <summary>The lab stack's keys: name, bytes (AES-128 and HMAC-SHA1 keys, per flow).</summary>
    public static readonly (string Name, int Bytes)[] LabKeys =
        [("forward.enc", 16), ("forward.auth", 20), ("reverse.enc", 16), ("reverse.auth", 20)];

    // Transport mode between the link addresses, SPIs and reqids of its own: beside the lab's tunnel, not in its way.
    public const string GeneratedSuite = "aes128gcm16";
    public const uint GeneratedForwardSpi = 0x3001, GeneratedReverseSpi = 0x3002;

    public const string GeneratedYaml = """
        # The fault tests' generated-keys stack: keys made by the tool, kept encrypted in its state folder.
        config:
          ipsec-testbed:inventory: faults-lab
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: stock
          ipsec-testbed:mtu: 1500
          ipsec-testbed:ipsec:
            mode: transport
            proto: esp
            suite: aes128gcm16
            keys: generate
            spi: {forward: 0x3001, reverse: 0x3002}
            reqid: {forward: 31, reverse: 32}
        """;

    public static string NoIpsecYaml(string inventory) => $"""
        # Written by the fault tests.
        config:
          ipsec-testbed:inventory: {inventory}
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: tuned
          ipsec-testbed:mtu: 1500
          ipsec-testbed:ipsec: {"{"}mode: transport, proto: none{"}"}
        """;
}
