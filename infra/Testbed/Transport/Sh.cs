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

    static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c);
}
