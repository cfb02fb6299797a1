using System.Text;
using System.Text.Json;
using Testbed.Measurement;
using Testbed.Model;

namespace Testbed.Bench;

/// <summary>
/// The output folder's raw results: <c>cells.jsonl</c>, one <see cref="BenchRecord"/> a line, appended and fsynced as
/// each cell finishes, and <c>sessions.jsonl</c>, one <see cref="BenchSession"/> per run. A run stopped at any moment
/// loses at most the cell it was measuring; a torn last line (the machine went away mid-write) is skipped on reading.
/// </summary>
public sealed class ResultsStore(string folder)
{
    public string CellsFile => Path.Combine(folder, "cells.jsonl");
    public string SessionsFile => Path.Combine(folder, "sessions.jsonl");

    /// <summary>Lines that could not be read (a torn write), seen by the last read.</summary>
    public int Unreadable { get; private set; }

    public IReadOnlyList<BenchRecord> Records() => ReadLines<BenchRecord>(CellsFile);

    public IReadOnlyList<BenchSession> Sessions() => ReadLines<BenchSession>(SessionsFile);

    public void Append(BenchRecord record) => AppendLine(CellsFile, DataJson.Write(record, BenchJson.Line));

    public void Append(BenchSession session) => AppendLine(SessionsFile, DataJson.Write(session, BenchJson.Line));

    /// <summary>
    /// The cells a run may skip: the last successful record of each cell measured with the same netperf parameters on
    /// the same stack. A record of another matrix's parameters (or a failure) does not count.
    /// </summary>
    public static IReadOnlyDictionary<CellKey, BenchRecord> Finished(IEnumerable<BenchRecord> records, RunParameters run, string stack)
    {
        var done = new Dictionary<CellKey, BenchRecord>();
        foreach (var r in records)
            if (r.Answers(r.Cell, run, stack)) done[r.Cell] = r;
        return done;
    }

    void AppendLine(string file, string json)
    {
        Directory.CreateDirectory(folder);
        // A torn line from a crash must not glue itself to the next record.
        var needsNewline = File.Exists(file) && new FileInfo(file).Length > 0 && LastByte(file) != (byte)'\n';
        using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = Encoding.UTF8.GetBytes((needsNewline ? "\n" : "") + json + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    static byte LastByte(string file)
    {
        using var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        s.Seek(-1, SeekOrigin.End);
        return (byte)s.ReadByte();
    }

    IReadOnlyList<T> ReadLines<T>(string file)
    {
        Unreadable = 0;
        if (!File.Exists(file)) return [];
        var type = JsonTypes.Of<T>(BenchJson.Results);
        var list = new List<T>();
        foreach (var line in File.ReadLines(file))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize(line, type) is { } item) list.Add(item);
            }
            catch (JsonException)
            {
                Unreadable++;
            }
        }
        return list;
    }
}
