using NUnit.Framework;

namespace Verification.Performance.Wire;

/// <summary>After the wire checks: how much of the wire they looked at.</summary>
[SetUpFixture]
public sealed class WireSummary
{
    [OneTimeTearDown]
    public void Report() =>
        ProgressReporter.Line($"wire: {WireTally.Frames} frames captured, {WireTally.Protected} IPsec packets between the gateways checked, " +
                              $"{WireTally.Attacks} attacks (replay, wrong key) dropped and counted");
}
