using Testbed.Measurement;

namespace Verification;

/// <summary>The suite's data files (profiles, thresholds) are read as every data file of the tool is (<see cref="DataJson"/>).</summary>
public static class Json
{
    public static T Read<T>(string file) => DataJson.Read<T>(file);
}
