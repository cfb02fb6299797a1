namespace Testbed.Model;

/// <summary>The named tuning profiles. Explicit <c>sysctl</c> and <c>nic</c> values in a stack override them one by one.</summary>
public static class Tuning
{
    /// <summary>Leave every kernel and NIC setting at the host's own value.</summary>
    public static readonly KernelTuning Stock = new("stock", []);

    /// <summary>Section 5.1 of the paper: RFC 1323/2018 options on and 4 MiB socket buffers.</summary>
    public static readonly KernelTuning Tuned = new("tuned",
    [
        new("net.ipv4.tcp_timestamps", "1"),
        new("net.ipv4.tcp_window_scaling", "1"),
        new("net.ipv4.tcp_sack", "1"),
        new("net.ipv4.tcp_rmem", "87380 4194304 4194304"),
        new("net.ipv4.tcp_wmem", "87380 4194304 4194304"),
        // The per-socket maxima must let the TCP buffers above actually grow to 4 MiB.
        new("net.core.rmem_max", "4194304"),
        new("net.core.wmem_max", "4194304"),
    ]);

    /// <summary>Section 5.2: interrupt coalescing. Applied where the NIC has the knob, skipped where it has not.</summary>
    public static readonly NicOptions TunedNic = new(
        [new("rx-usecs", 64, BestEffort: true), new("tx-usecs", 64, BestEffort: true)],
        []);

    public static readonly NicOptions StockNic = new([], []);

    public static KernelTuning? Kernel(string name) => name switch
    {
        "stock" => Stock,
        "tuned" => Tuned,
        _ => null,
    };

    public static NicOptions? Nic(string name) => name switch
    {
        "stock" => StockNic,
        "tuned" => TunedNic,
        _ => null,
    };
}
