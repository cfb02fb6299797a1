namespace Testbed.Machine;

/// <summary>This machine's processes, found by their command lines, and signals to them.</summary>
public static class Processes
{
    public sealed record Proc(int Pid, IReadOnlyList<string> Argv);

    public static IReadOnlyList<Proc> All()
    {
        var list = new List<Proc>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var raw = File.ReadAllBytes(Path.Combine(dir, "cmdline"));
                if (raw.Length == 0) continue;
                var argv = System.Text.Encoding.UTF8.GetString(raw).TrimEnd('\0').Split('\0');
                list.Add(new Proc(pid, argv));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return list;
    }

    /// <summary>Signals every process; one already gone (or not ours to signal) is passed over.</summary>
    public static void Kill(IEnumerable<Proc> procs, int signal)
    {
        foreach (var p in procs) Signal(p.Pid, signal);
    }

    /// <summary>kill(2): sends a signal to one process; false when it failed (its errno: Marshal.GetLastPInvokeError()).</summary>
    public static bool Signal(int pid, int signal) => Native.Kill(pid, signal) == 0;

    public static async Task<bool> WaitGone(Func<IReadOnlyList<Proc>> find, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (find().Count == 0) return true;
            await Task.Delay(100, ct);
        }
        return find().Count == 0;
    }

    static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int sig);
    }
}
