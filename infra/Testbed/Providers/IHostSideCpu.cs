namespace Testbed.Providers;

/// <summary>
/// Reads the gateways' CPU from outside them, where that is possible: a local gateway is a set of processes of
/// this machine. Lab gateways have no outside view; their /proc/stat is the real thing.
/// </summary>
public interface IHostSideCpu
{
    /// <summary>CPU ticks (1/100 s) charged so far to each gateway, by gateway name.</summary>
    IReadOnlyDictionary<string, long> Sample();
}
