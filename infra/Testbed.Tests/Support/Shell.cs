using System.Diagnostics;
using System.Text;

namespace Testbed.Tests.Support;

/// <summary>Runs read-only scripts in this machine's /bin/sh, and looks at shell text the way sh tokenizes it.</summary>
public static class Shell
{
    /// <summary>Debian's /bin/sh (dash) and bash: a remote login shell is usually one of them.</summary>
    public static readonly string[] Shells = ["/bin/sh", "/bin/bash"];

    public static (string Stdout, int ExitCode) Run(string script, string shell = "/bin/sh")
    {
        var psi = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (stdout, p.ExitCode);
    }

    /// <summary>
    /// The text of a script outside single quotes and backslash escapes: what the shell would interpret.
    /// A value that reaches a command line through <c>Sh.Quote</c> leaves nothing here.
    /// </summary>
    public static string Unquoted(string script)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (c == '\'')
            {
                var end = script.IndexOf('\'', i + 1);
                if (end < 0) return sb.Append(script[i..]).ToString();   // unbalanced: keep the rest, it is interpreted
                i = end;
                sb.Append(' ');
            }
            else if (c == '\\' && i + 1 < script.Length)
            {
                i++;
                sb.Append(' ');
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
