using System.Text;
using Testbed.Bench;

namespace Testbed.Tests.Bench;

/// <summary>An RFC 4180 reader, to read back what <see cref="BenchFiles"/> writes as a spreadsheet would.</summary>
public static class CsvText
{
    /// <summary>Reads a CSV written by <see cref="BenchFiles.Csv"/> (RFC 4180) back into rows by column name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string text)
    {
        var records = Parse(text);
        if (records.Count == 0) return [];
        var header = records[0];
        return records.Skip(1).Where(r => r.Count > 1 || r[0].Length > 0)
            .Select(r => (IReadOnlyDictionary<string, string>)header.Select((h, i) => (h, v: i < r.Count ? r[i] : "")).ToDictionary(x => x.h, x => x.v))
            .ToList();
    }

    static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    row.Add(field.ToString()); field.Clear();
                    rows.Add(row); row = [];
                    break;
                default: field.Append(ch); break;
            }
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }
}
