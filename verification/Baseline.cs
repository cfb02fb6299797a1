using Testbed.Measurement;

namespace Verification;

/// <summary>
/// The baseline file model (<see cref="BaselineEntry"/>, <see cref="BaselineFile"/>) lives in Testbed.Measurement, shared
/// with <c>testbed bench --record-baseline</c>; here it is found by stack name in this repository's
/// <c>verification/baselines/</c>.
/// </summary>
public static class Baselines
{
    extension(BaselineFile)
    {
        /// <summary>The stack's baseline, <c>verification/baselines/&lt;stack&gt;.json</c>; null when it has none.</summary>
        public static BaselineFile? Load(string stack) => BaselineFile.Read(Repo.BaselineFile(stack));
    }
}
