using System.Text.RegularExpressions;

namespace Testbed.Resources;

/// <summary>Interface names as the kernel allows them (IFNAMSIZ 16, no slash or blank).</summary>
public static partial class Ifname
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")]
    private static partial Regex Pattern();
}
