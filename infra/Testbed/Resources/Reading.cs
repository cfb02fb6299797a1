namespace Testbed.Resources;

/// <summary>What reading a setting on a live host found.</summary>
/// <param name="Fixed">
/// Set when the host reports the value as one it will not change (ethtool's <c>[fixed]</c>): why, in its words.
/// Whether that matters depends on the value wanted, which the identity that read it does not know (<see cref="Against"/>).
/// </param>
public sealed record Reading(Fields? Value, string? Unsupported = null, string? Fixed = null)
{
    public static readonly Reading Absent = new((Fields?)null);

    public static Reading Of(Fields value) => new(value);

    public static Reading NotSupported(string why) => new(null, why);

    public bool IsAbsent => Value is null && Unsupported is null;

    /// <summary>
    /// The reading as seen by whoever wants <paramref name="wanted"/>: a fixed value is fine when it is already that,
    /// and otherwise cannot be reached, so the setting is unsupported there.
    /// </summary>
    public Reading Against(Fields? wanted) => Fixed is { } why && !Fields.Same(Value, wanted) ? NotSupported(why) : this;
}
