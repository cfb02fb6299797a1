using System.Globalization;
using FluentAssertions;
using NUnit.Framework;
using Verification.Performance;

namespace Verification.Unit;

public class SamplesFileTests
{
    [Test]
    public void Every_sample_is_written_with_its_side_and_visit_so_a_run_can_be_judged_again()
    {
        var run = Cases.Run(Cases.Samples(Side.Reference, Cases.Esp, Cases.RecordedEsp),
            Cases.Samples(Side.Stack, Cases.Esp, Cases.RecordedEspWithFilters, visits: 4));
        var file = Path.Combine(Path.GetTempPath(), $"samples-{Guid.NewGuid():N}.tsv");
        try
        {
            ResultTable.WriteSamples(file, run);
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split('\t');
            header.Should().StartWith(["side", "visit", "protection"]);
            var rows = lines.Skip(1).Select(l => l.Split('\t')).ToList();
            int Col(string name) => Array.IndexOf(header, name);
            double Value(string[] row, string column) => double.Parse(row[Col(column)], CultureInfo.InvariantCulture);

            rows.Should().HaveCount(run.All.Count);
            rows.Where(r => r[Col("side")] == "reference").Select(r => Value(r, "cpu_per_mbit")).Should().Equal(Cases.RecordedEsp);
            rows.Where(r => r[Col("side")] == "stack").Select(r => Value(r, "cpu_per_mbit")).Should().Equal(Cases.RecordedEspWithFilters);
            rows.Where(r => r[Col("side")] == "stack").Select(r => int.Parse(r[Col("visit")])).Should().Equal(1, 2, 3, 4, 1, 2, 3, 4);
            rows.Select(r => Value(r, "ratio")).Should().Equal(run.All.Select(t => Math.Round(t.RatioToPlain!.Value, 6)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void After_a_second_look_both_looks_are_written_each_marked_with_its_own()
    {
        var first = Cases.Run(Cases.Samples(Side.Stack, Cases.Esp, Cases.RecordedEspWithFilters));
        var second = Cases.Run(Cases.Samples(Side.Stack, Cases.Esp, Cases.RecordedEsp));
        var file = Path.Combine(Path.GetTempPath(), $"samples-{Guid.NewGuid():N}.tsv");
        try
        {
            ResultTable.WriteSamples(file, second, first);
            var lines = File.ReadAllLines(file);
            var look = Array.IndexOf(lines[0].Split('\t'), "look");
            var cpu = Array.IndexOf(lines[0].Split('\t'), "cpu_per_mbit");
            var rows = lines.Skip(1).Select(l => l.Split('\t')).ToList();
            rows.Where(r => r[look] == "1").Select(r => double.Parse(r[cpu], CultureInfo.InvariantCulture)).Should().Equal(Cases.RecordedEspWithFilters);
            rows.Where(r => r[look] == "2").Select(r => double.Parse(r[cpu], CultureInfo.InvariantCulture)).Should().Equal(Cases.RecordedEsp);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
