using Testbed.Machine;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Local;
using Testbed.Model;
using Verification.Faults;
using Verification.Performance;

using Verification.Support;

namespace Verification.BenchRun;

/// <summary>
/// <c>testbed bench</c> end to end on the local testbed, as a user runs it: a small matrix that still needs an MTU
/// change (a reboot of both guests), interrupted with Ctrl-C after its second cell and run again. The second run must
/// skip what the first finished and measure only the rest; the output folder must then hold every cell, the CSV and
/// JSON, and a report whose charts are real PNG and SVG files; the stack must be left as it was found.
/// The figures themselves are the bench's business (docs/bench.md); here only that the command does its job.
/// </summary>
[TestFixture]
[Order(1)]
[NonParallelizable]
public sealed class BenchCommandTests
{
    /// <summary>Six cells: plain and ESP at stock TCP, ESP-AES128 tuned at MTU 1500 and 9000, plain IP added to each group.</summary>
    const string Matrix = """
        // The bench command's own test: few cells, one MTU change.
        { "name": "smoke", "description": "bench command test: 2 cases stock, 1 case over MTU 1500 and 9000 tuned",
          "seconds": 2, "iterations": { "max": 3, "min": 3 }, "confidence": { "level": 95, "width": 10 },
          "experiments": [
            { "name": "throughput", "figure": "throughput", "cases": ["plain", "esp-aes128-sha1"], "messageSizes": [16384],
              "links": ["unshaped"], "modes": ["tunnel"], "mtus": [1500], "tunings": ["stock"] },
            { "name": "mtu", "figure": "mtu", "cases": ["esp-aes128"], "messageSizes": [16384],
              "links": ["unshaped"], "modes": ["tunnel"], "mtus": [1500, 9000], "tunings": ["tuned"] } ] }
        """;

    const int Cells = 6;

    string _out = "";
    TestbedSpec _spec = null!;
    bool _wasUp;
    CliResult _first = null!, _second = null!;

    [OneTimeSetUp]
    public async Task RunTwiceAsync()
    {
        var stack = Settings.Current.Stack;
        _spec = StackLoader.Load(Repo.Project, stack);
        if (_spec.Provider != "local")
            Assert.Ignore($"stack {stack} is a lab stack: the bench command's test drives the local testbed; on lab hosts run `testbed bench --quick`");
        if (!Environment.IsPrivilegedProcess) Assert.Ignore("the local testbed needs root");
        if (Environment.GetEnvironmentVariable("TESTBED_BENCH") == "0") Assert.Ignore("TESTBED_BENCH=0: the bench command's test is left out of this run");

        _out = Directory.CreateTempSubdirectory("ipsec-testbed-bench-").FullName;
        var matrixFile = Path.Combine(_out, "smoke-matrix.json");
        await File.WriteAllTextAsync(matrixFile, Matrix);
        _wasUp = LocalTestbed.Layout(_spec).All(g => Guests.IsRunning(g));
        var cli = new Cli(Repo.Project.Root, new Dictionary<string, string?>());
        string[] args = ["bench", "--stack", stack, "--matrix", matrixFile, "--out", Path.Combine(_out, "bench")];

        // First run: Ctrl-C once the second cell is reported; the bench finishes its step and puts the stack back.
        var interrupted = 0;
        var run = cli.Start(args, onLine: (line, p) =>
        {
            ProgressReporter.Line("bench (1st run): " + line);
            if (line.StartsWith("[2/", StringComparison.Ordinal) && Interlocked.Exchange(ref interrupted, 1) == 0)
                Interrupt(p.Pid);
        });
        _first = await run.WaitAsync(TimeSpan.FromMinutes(10));

        _second = await cli.Start(args, onLine: (line, _) => ProgressReporter.Line("bench (2nd run): " + line)).WaitAsync(TimeSpan.FromMinutes(15));
    }

    [OneTimeTearDown]
    public void RemoveOutput()
    {
        if (_out.Length > 0 && Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    static void Interrupt(int pid)
    {
        if (!Processes.Signal(pid, 2)) throw new InvalidOperationException($"kill -INT {pid} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    string Folder => Path.Combine(_out, "bench");
    string[] CellLines => File.ReadAllLines(Path.Combine(Folder, "cells.jsonl")).Where(l => l.Trim().Length > 0).ToArray();

    /// <summary>The cells the interrupted first run reported as measured.</summary>
    int MeasuredInFirstRun => Regex.Matches(_first.Stdout, @"^\[\d+/6\] .*Mbit/s", RegexOptions.Multiline).Count;

    [Test, Order(1)]
    public void The_estimate_is_printed_before_the_first_cell()
    {
        var output = _first.Stdout;
        var estimate = output.IndexOf($"bench: {Cells} cells, about", StringComparison.Ordinal);
        estimate.Should().BeGreaterThanOrEqualTo(0, _first.ToString());
        estimate.Should().BeLessThan(output.IndexOf("[1/", StringComparison.Ordinal), "the estimate comes before any cell");
    }

    [Test, Order(2)]
    public void Ctrl_c_stops_the_run_with_its_finished_cells_kept()
    {
        _first.ExitCode.Should().Be(130, _first.ToString());
        _first.Output.Should().Contain("interrupted after").And.Contain("run the same command again to resume");
        MeasuredInFirstRun.Should().BeInRange(2, Cells - 1, _first.ToString());
    }

    [Test, Order(3)]
    public void The_rerun_skips_what_the_first_run_finished_and_measures_the_rest()
    {
        _second.ExitCode.Should().Be(0, _second.ToString());
        var done = MeasuredInFirstRun;
        _second.Stdout.Should().Contain($"{done} finished in an earlier run (skipped), {Cells - done} to measure", _second.ToString());
        _second.Stdout.Should().Contain($"{Cells - done} cells measured, 0 failed, {done} skipped (done before) of {Cells}", _second.ToString());
        CellLines.Should().HaveCount(Cells, "each cell is measured exactly once over the two runs");
    }

    [Test, Order(4)]
    public void The_results_hold_every_cell_with_a_throughput()
    {
        var csv = File.ReadAllLines(Path.Combine(Folder, "results.csv"));
        var header = csv[0].Split(',');
        int status = Array.IndexOf(header, "status"), mbps = Array.IndexOf(header, "throughput_mbps"), kernel = Array.IndexOf(header, "gateway_kernel");
        status.Should().BeGreaterThan(0);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        rows.Should().HaveCount(Cells);
        rows.Should().AllSatisfy(r => r[status].Should().Be("ok"));
        rows.Should().AllSatisfy(r => double.Parse(r[mbps], System.Globalization.CultureInfo.InvariantCulture).Should().BePositive());
        rows.Select(r => r[Array.IndexOf(header, "mtu")]).Distinct().Should().BeEquivalentTo(["1500", "9000"]);
        File.ReadAllText(Path.Combine(Folder, "results.json")).Should().Contain("\"kernel\"").And.Contain("\"cpuModel\"");
        kernel.Should().BeGreaterThan(0, "every row says which kernel measured it");
        rows.Should().AllSatisfy(r => r[kernel].Should().NotBeNullOrWhiteSpace().And.NotBe("unknown"));
    }

    [Test, Order(5)]
    public void The_report_embeds_real_charts_and_computes_the_mtu_finding()
    {
        var report = Path.Combine(Folder, "report");
        var md = File.ReadAllText(Path.Combine(report, "report.md"));
        foreach (var chart in new[] { "fig1-4-throughput-unshaped", "fig6-mtu" })
        {
            md.Should().Contain($"]({chart}.png)").And.Contain($"]({chart}.svg)");
            File.ReadAllBytes(Path.Combine(report, chart + ".png")).Take(4).Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G']);
            File.ReadAllText(Path.Combine(report, chart + ".svg")).Should().Contain("<svg");
        }
        var mtuClaim = md.Split('\n').First(l => l.StartsWith("| larger MTU helps |", StringComparison.Ordinal));
        mtuClaim.Should().NotContain("not measured", "the matrix measures ESP-AES128 at MTU 1500 and 9000");
    }

    [Test, Order(6)]
    public void The_stack_is_left_as_it_was_found()
    {
        var running = LocalTestbed.Layout(_spec).Select(g => Guests.IsRunning(g)).ToList();
        running.Should().AllBeEquivalentTo(_wasUp, _wasUp ? "the stack was running and is put back" : "the bench brought the stack up and takes it down");
        if (_wasUp)
            LocalTestbed.Layout(_spec).Select(g => Guests.BootMtu(g)).Should().AllBeEquivalentTo(_spec.Mtu, "the guests are back at the stack's MTU");
    }
}
