namespace Testbed.Secrets;

/// <summary>Files that hold secrets (keys, pins, the state checkpoint): private to their owner, replaced whole.</summary>
public static class SecretFiles
{
    /// <summary>Why a file that holds a secret is too open (readable by group or others), or null when it is not.</summary>
    public static string? TooOpen(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0) return "readable by everyone";
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite)) != 0) return "readable by its group";
        return null;
    }

    /// <summary>
    /// Writes a file that holds a secret: created 0600 before any byte is written, flushed to disk, then renamed over
    /// the old one, so that a crash at any moment leaves the old file or the new one, never a torn or empty one.
    /// </summary>
    public static void WriteSecret(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var stream = new FileStream(tmp, options))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }
        // A .tmp left over from a crash keeps its mode through FileMode.Create.
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }
}
