using Testbed.Measurement;
using Testbed.Model;

namespace Testbed.Bench;

/// <summary>
/// One planned cell with what is known of it: its measurement (null until measured), its ratio to plain IP of the same
/// group and size, and, when it could not be measured, why.
/// </summary>
public sealed record CellResult(CellKey Key, IReadOnlyList<string> Experiments, BenchRecord? Record, Estimate? Ratio, string? Error)
{
    public bool Measured => Record is { Ok: true };

    public Estimate? Throughput => Measured ? Record!.Result!.Throughput : null;

    public CaseResult? Result => Measured ? Record!.Result : null;

    public string Label => LabelOf(Key.Protection);

    /// <summary>What results.json/csv say of the cell: measured, failed (with its error) or not measured yet.</summary>
    public string Status => Measured ? CellStatus.Ok : Error is null ? "not measured" : CellStatus.Failed;

    /// <summary>A case as the paper labels it (<c>ESP 128bit AES-160bit SHA1</c>), else its name.</summary>
    public static string LabelOf(string protection) => Protection.Parse(protection)?.Label ?? protection;
}

/// <summary>
/// A matrix's results as the report and the result files see them: every planned cell, joined with the newest record
/// that answers it (same key, run parameters and stack), and the sessions that measured them.
/// </summary>
public sealed record BenchData(BenchMatrix Matrix, string Stack, int HostMaxMtu, IReadOnlyList<CellResult> Cells, IReadOnlyList<BenchSession> Sessions)
{
    public RunParameters Run => Matrix.Run;

    /// <summary>Some cell has the gateways' CPU as seen from outside them (the local testbed's guests): its charts and notes apply.</summary>
    public bool HasHostSideCpu => Cells.Any(c => c.Result?.Cpu.Any(g => g.HostSide is not null) == true);

    public static BenchData Join(BenchMatrix matrix, string stack, int hostMaxMtu, int startMtu, IReadOnlyList<BenchRecord> records,
        IReadOnlyList<BenchSession> sessions)
    {
        var plan = MatrixCells.Expand(matrix, hostMaxMtu, startMtu);
        var done = ResultsStore.Finished(records, matrix.Run, stack);
        var failed = new Dictionary<CellKey, BenchRecord>();
        foreach (var r in records.Where(r => !r.Ok && r.Run == matrix.Run && r.Stack == stack)) failed[r.Cell] = r;

        var cells = plan.Select(p =>
        {
            var record = done.GetValueOrDefault(p.Key);
            Estimate? ratio = null;
            if (record is not null && !p.Key.IsPlain && done.GetValueOrDefault(p.Key.PlainReference) is { } plain)
                ratio = Estimate.Ratio(record.Result!.Throughput, plain.Result!.Throughput);
            var error = record is null ? failed.GetValueOrDefault(p.Key)?.Error : null;
            return new CellResult(p.Key, p.Experiments, record, ratio, error);
        }).ToList();
        return new BenchData(matrix, stack, hostMaxMtu, cells, sessions);
    }

    /// <summary>The measured cells an experiment asked for.</summary>
    public IEnumerable<CellResult> Of(Experiment e) => Cells.Where(c => c.Measured && c.Experiments.Contains(e.Name));

    /// <summary>A measured cell by its key (whichever experiment asked for it), or null.</summary>
    public CellResult? Find(CellKey key) => Cells.FirstOrDefault(c => c.Key == key && c.Measured);

    public IEnumerable<Experiment> Experiments(Figure figure) => Matrix.Experiments.Where(e => e.Figure == figure);
}
