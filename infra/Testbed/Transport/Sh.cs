namespace Testbed.Transport;

/// <summary>POSIX shell quoting: every value from a config file reaches a command line through <see cref="Quote"/>.</summary>
public static class Sh
{
    public static string Quote(string value) =>
        value.Length > 0 && value.All(IsSafe) ? value : "'" + value.Replace("'", "'\\''") + "'";

    public static string Quote(object value) => Quote(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");

    /// <summary>Joins a command and its arguments, quoting each argument.</summary>
    public static string Cmd(string program, params object[] args) =>
        args.Length == 0 ? program : program + " " + string.Join(" ", args.Select(Quote));

    /// <summary>
    /// Prints the first line of a /proc or /sys file, or <paramref name="missing"/> when there is none. Under bash the
    /// read is a builtin (no fork, which counts on a slow host); other shells (dash) read byte by byte, which
    /// sysctl files answer with their first byte only, so they pay for a <c>cat</c>.
    /// </summary>
    public static string ReadFirstLine(string path, string missing)
    {
        var p = Quote(path);
        return $"if [ ! -r {p} ]; then echo '{missing}'; elif [ -n \"${{BASH_VERSION:-}}\" ]; then read -r v < {p}; printf '%s\\n' \"$v\"; else head -n 1 {p}; fi";
    }

    static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c);
}
