using Testbed.Resources;

namespace Testbed.Engine;

/// <summary>
/// What to do with one setting: its identity, and its declaration unless the stack no longer declares it (a delete,
/// known from the state file alone). <see cref="Live"/> is null when the host could not be read (not booted yet).
/// </summary>
public sealed record Step(ResourceId Id, Resource? Declared, Change Change, Reading? Live, ResourceRecord? Record, string? Note = null)
{
    /// <summary>A step for a setting the stack declares.</summary>
    public Step(Resource declared, Change change, Reading? live, ResourceRecord? record, string? note = null)
        : this(declared.Id, declared, change, live, record, note) { }

    /// <summary>The value the step leads to: the declared one, or for a delete the value found before the first change.</summary>
    public Fields? Target => Change == Change.Delete ? Record?.Original : Change == Change.Skip ? Live?.Value : Declared?.Desired;

    public string Host => Id.Host;

    public bool ChangesSomething => Change is Change.Create or Change.Update or Change.Replace or Change.Delete;

    /// <summary>The field-level difference, as a plan shows it.</summary>
    public string Detail => Change switch
    {
        Change.None or Change.Skip => Note ?? Live?.Value?.ToString() ?? "",
        Change.Create => Target + (Note is null ? "" : $" ({Note})"),
        _ => Note ?? string.Join("; ", Fields.Diff(Live?.Value, Target)),
    };
}

public sealed record Plan(IReadOnlyList<Step> Steps, IReadOnlyList<string> Errors)
{
    /// <summary>Keys the tool would generate for this plan (slots, no key material); <c>up</c> writes them before applying.</summary>
    public IReadOnlyList<string> NewKeys { get; init; } = [];

    public bool HasChanges => Steps.Any(s => s.ChangesSomething);

    public IEnumerable<Step> ForHost(string host) => Steps.Where(s => s.Host == host);

    public string Summary => Summarize(Steps.Select(s => s.Change));

    public static string Summarize(IEnumerable<Change> changes)
    {
        var counts = changes.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        string Part(Change c, string word) => counts.TryGetValue(c, out var n) ? $"{n} {word}" : "";
        var parts = new[]
        {
            Part(Change.Create, "to create"), Part(Change.Update, "to update"), Part(Change.Replace, "to replace"),
            Part(Change.Delete, "to delete"), Part(Change.None, "unchanged"), Part(Change.Skip, "skipped"),
        }.Where(p => p.Length > 0);
        return string.Join(", ", parts);
    }
}
