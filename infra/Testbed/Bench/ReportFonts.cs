using Testbed.Machine;
using Testbed.Engine;
using Testbed.Local;

namespace Testbed.Bench;

/// <summary>
/// The charts' text needs a font that SkiaSharp finds through fontconfig; Debian's <c>fonts-dejavu-core</c> has it. Like
/// the local testbed's own tools, it is installed when missing (as root; otherwise the charts fall back to whatever
/// font there is, and the report says so).
/// </summary>
public static class ReportFonts
{
    public const string Package = "fonts-dejavu-core";
    const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public static async Task EnsureAsync(IReporter reporter, CancellationToken ct)
    {
        if (File.Exists(FontFile) || !OperatingSystem.IsLinux()) return;
        if (!Environment.IsPrivilegedProcess)
        {
            reporter.Warn($"{FontFile} is missing and installing {Package} needs root; the charts use whatever font fontconfig finds");
            return;
        }
        reporter.Progress($"installing {Package} for the charts' text");
        await Commands.AptInstallAsync([Package], ct);
    }
}
