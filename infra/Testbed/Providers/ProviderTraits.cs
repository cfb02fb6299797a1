namespace Testbed.Providers;

/// <summary>
/// What a provider's hosts are like, as the engine, the bench and the verification suite need to know it. Callers
/// ask these, never the provider's name, so a new provider is a new set of answers, not a new branch everywhere.
/// </summary>
/// <param name="BootsHosts">The tool makes the hosts and destroy takes them away, so settings inside them need no restoring.</param>
/// <param name="Description">One line for the environment of results (what the hosts are).</param>
/// <param name="FixedMaxMtu">The largest MTU the hosts take when it is known without asking them; null: read it from the NICs.</param>
/// <param name="MtuChangeReboots">An MTU change boots the hosts again (the local vector NIC fixes its MTU at boot).</param>
/// <param name="DedicatedHardware">Nothing else runs on the hosts, so absolute throughput is stable enough to judge.</param>
/// <param name="NetperfIntervalNarrows">netperf's confidence interval narrows within its iterations here (it never does on
/// the noisy local guests, where every cell runs the maximum).</param>
/// <param name="Overheads">What a bench cell costs here besides netperf's run time, for estimates.</param>
public sealed record ProviderTraits(
    bool BootsHosts,
    string Description,
    int? FixedMaxMtu,
    bool MtuChangeReboots,
    bool DedicatedHardware,
    bool NetperfIntervalNarrows,
    CellOverheads Overheads);

/// <summary>
/// What a bench cell costs besides netperf's own run time: starting netserver and sampling both gateways around the
/// client, netperf's connection set-up per iteration, provisioning a new suite (the engine replaces the SA pair and
/// policies) or a new group (sysctls, NIC, shaper), a new MTU, and bringing the hosts up.
/// </summary>
public sealed record CellOverheads(double PerCell, double PerIteration, double SuiteChange, double GroupChange, double MtuChange, double BringUp);
