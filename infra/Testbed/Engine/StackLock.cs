namespace Testbed.Engine;

/// <summary>
/// One run per stack at a time. The lock is an exclusive open of the lock file (flock on Linux), so the kernel
/// releases it when the holder dies, even by SIGKILL; a side file says who holds it.
/// </summary>
public sealed class StackLock : IDisposable
{
    readonly FileStream _stream;
    readonly string _infoFile;

    StackLock(FileStream stream, string infoFile) => (_stream, _infoFile) = (stream, infoFile);

    public static StackLock Acquire(StackPaths paths, string stack, string operation)
    {
        paths.Ensure();
        try
        {
            var stream = new FileStream(paths.Lock, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            File.WriteAllText(paths.LockInfo, $"{Environment.ProcessId} {operation} {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss}");
            return new StackLock(stream, paths.LockInfo);
        }
        catch (IOException)
        {
            var holder = File.Exists(paths.LockInfo) ? File.ReadAllText(paths.LockInfo).Split(' ', 3) : [];
            var who = holder.Length == 3 ? $" by pid {holder[0]} ({holder[1]}, since {holder[2]})" : "";
            throw new StackBusyException($"stack '{stack}' is locked{who}; wait for that run to finish, or stop it");
        }
    }

    public void Dispose()
    {
        try { File.Delete(_infoFile); } catch (IOException) { }
        _stream.Dispose();
    }
}

public sealed class StackBusyException(string message) : Exception(message);
