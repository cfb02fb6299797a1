using System.Globalization;
using System.Text.RegularExpressions;

namespace Verification.Ike;

/// <summary>One interim result of netperf's demo mode (<c>-D</c>): the rate over a window that ended at a time.</summary>
public sealed record Interim(double EndsAt, double Seconds, double Mbits);

/// <summary>
/// What a stream under rekeying did: netperf's per-window rates, the moments the receiver's daemon installed a new
/// inbound SA, and the receiver's and sender's xfrm error counters before and after.
/// </summary>
public sealed partial record RekeyRun(IReadOnlyList<Interim> Windows, IReadOnlyList<double> Rekeys,
    IReadOnlyDictionary<string, long> CountersBefore, IReadOnlyDictionary<string, long> CountersAfter)
{
    /// <summary>Counters that grow when a packet arrives for an SA the receiver does not have, or outside its replay window.</summary>
    public static readonly string[] DropCounters = ["XfrmInNoStates", "XfrmInStateSeqError", "XfrmInStateExpired", "XfrmInStateInvalid", "XfrmInNoPols"];

    /// <summary>The stream's typical rate: the Hodges-Lehmann center of its windows (Pragmastat), which a few dips barely move.</summary>
    public double Typical => Windows.Count == 0 ? 0 : Pragmastat.Toolkit.Center(new Pragmastat.Sample(Windows.Select(w => w.Mbits).ToArray())).NominalValue;

    /// <summary>
    /// The longest time the stream moved (almost) nothing: consecutive windows under a tenth of the typical rate, or the
    /// part of a window longer than netperf was asked for (it reports only when a send returns, so a blocked send stretches it).
    /// </summary>
    public double LongestStall(double interval)
    {
        var (typical, longest, run) = (Typical, 0.0, 0.0);
        foreach (var w in Windows)
        {
            if (w.Mbits < typical / 10) run += w.Seconds;
            else (longest, run) = (Math.Max(longest, run), 0);
            longest = Math.Max(longest, w.Seconds - 1.5 * interval);
        }
        return Math.Max(longest, run);
    }

    /// <summary>
    /// The rekeys as the stream saw them: inbound SAs installed within the same window count once (seen: two SAs 13 ms
    /// apart when both ends began the same rekey).
    /// </summary>
    public IReadOnlyList<(double At, int Window)> RekeyWindows =>
        Rekeys.Select(r => (At: r, Window: WindowOf(r))).Where(x => x.Window >= 0).DistinctBy(x => x.Window).ToList();

    /// <summary>
    /// Per rekey: how far the rate of the window it fell in lay below what the stream did around it, the center of the
    /// windows <see cref="Near"/>+1 to <see cref="Far"/> away on either side (0.1 = 10 % lower). A local reference, because a
    /// stream on a shared machine drifts by more over a minute than a rekey costs.
    /// </summary>
    public IReadOnlyList<(double At, double Dip)> Dips => RekeyWindows.Select(x => (x.At, DipAt(x.Window))).ToList();

    /// <summary>
    /// The smallest dip this run could tell from the stream's own wobble: the 90th percentile of the same measure at the
    /// windows no rekey touched (Perfolizer's quantile estimator). A rekey's dip below it is not a measured cost.
    /// </summary>
    public double Noise
    {
        get
        {
            var rekeyed = RekeyWindows.Select(x => x.Window).ToList();
            var quiet = Enumerable.Range(1, Math.Max(0, Windows.Count - 1))
                .Where(i => rekeyed.All(r => Math.Abs(i - r) > Near)).Select(DipAt).Where(double.IsFinite).ToArray();
            return quiet.Length < 5 ? double.NaN
                : Perfolizer.Mathematics.QuantileEstimators.SimpleQuantileEstimator.Instance.Quantile(new Pragmastat.Sample(quiet), 0.9);
        }
    }

    /// <summary>Windows this close to a rekey are its own (the window before can hold the exchange, the one after the catching up).</summary>
    public const int Near = 1;

    /// <summary>How far the reference of a window reaches on either side.</summary>
    public const int Far = 4;

    double DipAt(int i)
    {
        // The first window is TCP's slow start, not the stream's rate.
        var around = Enumerable.Range(i - Far, 2 * Far + 1)
            .Where(j => j >= 1 && j < Windows.Count && Math.Abs(j - i) > Near).Select(j => Windows[j].Mbits).ToArray();
        if (around.Length < 2) return double.NaN;
        var local = Pragmastat.Toolkit.Center(new Pragmastat.Sample(around)).NominalValue;
        return local > 0 ? 1 - Windows[i].Mbits / local : double.NaN;
    }

    int WindowOf(double at)
    {
        for (var i = 0; i < Windows.Count; i++)
            if (Windows[i].EndsAt - Windows[i].Seconds <= at && at < Windows[i].EndsAt) return i;
        return -1;
    }

    public long Dropped(string counter) => CountersAfter.GetValueOrDefault(counter) - CountersBefore.GetValueOrDefault(counter);

    public static IReadOnlyList<Interim> ParseInterim(string netperfOutput) =>
        InterimLine().Matches(netperfOutput).Select(m => new Interim(
            double.Parse(m.Groups["end"].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups["secs"].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture))).ToList();

    /// <summary><c>/proc/net/xfrm_stat</c>: a counter name and its value per line.</summary>
    public static IReadOnlyDictionary<string, long> ParseCounters(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length == 2 && long.TryParse(w[1], out _))
            .ToDictionary(w => w[0], w => long.Parse(w[1], CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Interim result:\s+(?<rate>[0-9.]+) 10\^6bits/s over (?<secs>[0-9.]+) seconds ending at (?<end>[0-9.]+)")]
    private static partial Regex InterimLine();
}
