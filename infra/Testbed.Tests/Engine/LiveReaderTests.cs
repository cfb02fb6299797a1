using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests.Engine;

public class LiveReaderTests
{
    const string Marker = "@@tb-0123456789ab";

    [Test]
    public void Compose_reads_the_boot_id_then_each_script_in_braces_between_markers()
    {
        LiveReader.Compose(["echo one", "ethtool -c vec0"], Marker).Should().Be(
            "exec 2>/dev/null\n" +
            $"echo {Marker} boot\n{Testbed.Transport.Sh.ReadFirstLine("/proc/sys/kernel/random/boot_id", "")}\n" +
            $"echo {Marker} 0\n{{ echo one\n}}\n" +
            $"echo {Marker} 1\n{{ ethtool -c vec0\n}}\n" +
            $"echo {Marker} end\n");
    }

    [Test]
    public void Split_of_real_output_gives_each_section()
    {
        var sections = LiveReader.Split(Fixture.Read("captured/gw-a.composed-read.txt"), Marker);
        sections.Keys.Should().BeEquivalentTo(["boot", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        sections["boot"].Trim().Should().MatchRegex("^[0-9a-f-]{36}$");
        sections["2"].Should().Be("1500\n");
        sections["6"].Should().Be("", "tc printed nothing for a missing device");
        sections["5"].Split('\n').Should().Contain("10.2.0.0/24 via 192.0.2.2 dev vec0 src 10.1.0.1 ");
    }

    [Test]
    public void Split_without_the_end_marker_throws_rather_than_reading_absent()
    {
        var cut = $"{Marker} boot\nabc\n{Marker} 0\n1500\n";
        FluentActions.Invoking(() => LiveReader.Split(cut, Marker)).Should().Throw<IOException>().WithMessage("*ended early*");
        FluentActions.Invoking(() => LiveReader.Split("", Marker)).Should().Throw<IOException>();
    }

    [Test]
    public void Split_ignores_lines_before_the_first_marker_and_other_markers()
    {
        var text = $"motd line\n{Marker} 0\n@@tb-ffffffffffff 1\nvalue\n{Marker} end\n";
        LiveReader.Split(text, Marker).Should().BeEquivalentTo(new Dictionary<string, string> { ["0"] = "@@tb-ffffffffffff 1\nvalue\n" });
    }

    /// <summary>The composed read of one resource of every kind runs in a real shell here, and every reading parses.</summary>
    [TestCaseSource(typeof(Shell), nameof(Shell.Shells))]
    public void A_composed_read_runs_in_a_real_shell_in_one_process(string shell)
    {
        Resource[] resources =
        [
            new Sysctl { Host = "h", Key = "net.ipv4.tcp_sack", Value = "1" },
            new Sysctl { Host = "h", Key = "net.ipv4.no_such_knob", Value = "1" },
            new LinkMtu { Host = "h", Dev = "lo", Mtu = 65536 },
            new DummyLink { Host = "h", Dev = "lo" },
            new Address { Host = "h", Dev = "lo", Cidr = "127.0.0.1/8" },
            new Package { Host = "h", PackageName = "dash", Command = "sh" },
        ];
        var scripts = resources.Select(r => r.ReadScript).Distinct().ToList();
        var (stdout, exit) = Shell.Run(LiveReader.Compose(scripts, Marker), shell);
        exit.Should().Be(0);
        var sections = LiveReader.Split(stdout, Marker);
        sections["boot"].Trim().Should().Be(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());
        Reading Read(Resource r) => r.Parse(sections[scripts.IndexOf(r.ReadScript).ToString()]);
        Read(resources[0]).Value!["value"].Should().MatchRegex("^[012]$");
        Read(resources[1]).Unsupported.Should().NotBeNull();
        Read(resources[2]).Value!["value"].Should().Be(File.ReadAllText("/sys/class/net/lo/mtu").Trim());
        Read(resources[3]).Value.Should().Be(Fields.Of(("state", "up")));
        Read(resources[4]).Value.Should().Be(Fields.Of(("dev", "lo")), "the heredoc inside braces works");
        Read(resources[5]).Value.Should().Be(Fields.Scalar("installed"));
    }

    [Test]
    public async Task ReadAsync_runs_each_distinct_script_once_and_parses_every_resource()
    {
        var shell = new ScriptedShell();
        var a = new NicCoalesce { Host = "gw-a", Dev = "vec0", Param = "tx-usecs", Value = 64 };
        var b = new NicCoalesce { Host = "gw-a", Dev = "vec0", Param = "rx-usecs", Value = 64 };
        var mtu = new LinkMtu { Host = "gw-a", Dev = "vec0", Mtu = 1500 };
        var reading = await LiveReader.ReadAsync(shell, [a.Id, b.Id, mtu.Id], CancellationToken.None);

        shell.Scripts.Should().ContainSingle("one round trip");
        shell.Scripts[0].Split('\n').Count(l => l == "{ ethtool -c vec0").Should().Be(1, "resources of a kind share their script");
        reading.Host.Should().Be("gw-a");
        reading.BootId.Should().Be("2e4c057e-9517-4b02-be40-c7754d301335");
        reading.Readings[a.Urn].Value.Should().Be(Fields.Scalar("10000"));
        reading.Readings[b.Urn].Unsupported.Should().Be("vec0 has no rx-usecs (n/a)");
        reading.Readings[mtu.Urn].Value.Should().Be(Fields.Scalar("1500"));
    }

    /// <summary>Answers a composed read with the captured ethtool and mtu output, under whatever marker it was given.</summary>
    sealed class ScriptedShell : IHostShell
    {
        public List<string> Scripts { get; } = [];
        public string Name => "gw-a";
        public string Endpoint => "test";
        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;

        public Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct)
        {
            Scripts.Add(command.Script);
            var marker = command.Script.Split('\n')[1].Split(' ')[1];
            var sb = new System.Text.StringBuilder($"{marker} boot\n2e4c057e-9517-4b02-be40-c7754d301335\n");
            var lines = command.Script.Split('\n');
            foreach (var line in lines.Where(l => l.StartsWith($"echo {marker} ") && !l.EndsWith(" boot") && !l.EndsWith(" end")))
            {
                var index = line.Split(' ')[2];
                var script = lines[Array.IndexOf(lines, line) + 1];
                sb.Append($"{marker} {index}\n").Append(script switch
                {
                    "{ ethtool -c vec0" => Fixture.Read("captured/gw-a.ethtool-c-vec0.txt"),
                    _ => "1500\n",
                });
            }
            sb.Append($"{marker} end\n");
            return Task.FromResult(new CommandResult(0, sb.ToString(), ""));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
