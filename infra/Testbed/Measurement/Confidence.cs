namespace Testbed.Measurement;

/// <summary>
/// A measured value with the half-width of its confidence interval, relative to the value (0.015 = ±1.5 %).
/// netperf reports the full width in per cent; ratios and products of independent measurements add their relative
/// half-widths in quadrature (first-order error propagation), which is what <see cref="Ratio"/> does.
/// </summary>
public sealed record Estimate(double Value, double? RelativeHalfWidth)
{
    /// <summary>The interval's bounds; the value itself when the width is unknown.</summary>
    public (double Low, double High) Interval =>
        RelativeHalfWidth is { } h ? (Value * (1 - h), Value * (1 + h)) : (Value, Value);

    /// <summary>a / b with the combined relative half-width; unknown when either width is.</summary>
    public static Estimate Ratio(Estimate a, Estimate b) =>
        new(b.Value == 0 ? double.NaN : a.Value / b.Value, Combine(a.RelativeHalfWidth, b.RelativeHalfWidth));

    /// <summary>Root-sum-square of independent relative half-widths; null when any is unknown.</summary>
    public static double? Combine(params double?[] halfWidths) =>
        halfWidths.Any(h => h is null) ? null : Math.Sqrt(halfWidths.Sum(h => h!.Value * h.Value));

    public override string ToString() =>
        RelativeHalfWidth is { } h ? $"{Value:G4} ±{h * 100:0.#}%" : $"{Value:G4}";
}
