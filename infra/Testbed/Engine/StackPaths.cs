namespace Testbed.Engine;

/// <summary>
/// Where a stack keeps what it must remember, outside the tracked tree: <c>~/.ipsec-testbed/&lt;project&gt;/&lt;stack&gt;/</c>
/// (or under <c>TESTBED_HOME</c>). The folder is 0700 and every file in it 0600.
/// </summary>
public sealed record StackPaths(string Dir)
{
    public static string Home =>
        Environment.GetEnvironmentVariable("TESTBED_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ipsec-testbed");

    public static StackPaths For(string project, string stack) => new(Path.Combine(Home, project, stack));

    public string State => Path.Combine(Dir, "state.json");
    public string Lock => Path.Combine(Dir, "lock");
    public string LockInfo => Path.Combine(Dir, "lock.info");
    public string KnownHosts => Path.Combine(Dir, "known_hosts");
    public string Keys => Path.Combine(Dir, "keys.json");
    public string DataKey => Path.Combine(Dir, "data.key");

    /// <summary>A provider's own files (the local testbed's client key, guest seeds, consoles), named after it.</summary>
    public string Provider(string kind) => Path.Combine(Dir, kind);

    public void Ensure()
    {
        Directory.CreateDirectory(Dir);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
