namespace Verification;

/// <summary>
/// How strict the judge is (<c>verification/thresholds.json</c>): data, not code. Every metric of every case is a
/// one-sided Mann-Whitney test of the run's samples against the reference's at <see cref="Alpha"/>, tolerating a worsening
/// of <see cref="SameRunThreshold"/> against a reference measured in the same run, and against recorded samples that
/// much or the recording's own drift between its visits, whichever is larger.
/// </summary>
/// <param name="Alpha">The chance of calling a regression of exactly the tolerated size; below it the chance is smaller still.</param>
/// <param name="SameRunThreshold">The worsening tolerated between a stack and its reference interleaved in one run (a fraction).</param>
public sealed record Thresholds(double Alpha, double SameRunThreshold)
{
    public static Thresholds Load(string? file = null)
    {
        file ??= Repo.ThresholdsFile;
        var t = Testbed.Measurement.DataJson.Read<Thresholds>(file, VerificationJson.Data);
        var problems = new List<string>();
        if (t.Alpha is <= 0 or >= 0.5) problems.Add($"alpha {t.Alpha} is not a probability in (0, 0.5)");
        if (t.SameRunThreshold is < 0 or >= 1) problems.Add($"sameRunThreshold {t.SameRunThreshold} is not a fraction in [0, 1)");
        if (problems.Count > 0) throw new InvalidDataException($"{file}: {string.Join("; ", problems)}");
        return t;
    }
}
