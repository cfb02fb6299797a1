using System.Globalization;

namespace Testbed.Measurement;

/// <summary>
/// The fields of the result CSVs (a run's and a bench's), written alike so one reader reads both: numbers
/// invariant and to six decimals, blank for none (or for a NaN, which spreadsheets would misread).
/// </summary>
static class CsvText
{
    public static string N(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : "";
    public static string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>RFC 4180: a field with a comma, quote or newline is quoted, its quotes doubled.</summary>
    public static string Field(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
