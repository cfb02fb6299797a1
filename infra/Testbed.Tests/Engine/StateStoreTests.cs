using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Engine;

public class StateStoreTests
{
    TempDir _dir = null!;
    StackPaths _paths = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDir();
        _paths = new StackPaths(Path.Combine(_dir.Path, "stack"));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    /// <summary>A state whose records came from the declared SAs of an esp+ah stack, and the keys those SAs use.</summary>
    static (StackState State, List<string> KeyHex) StateWithSas()
    {
        var keys = new FakeKeyring();
        var resources = GatewayTestbed.Declare(Specs.Testbed(IpsecMode.Tunnel, Specs.P("esp+ah-aes256-sha1")), keys, []);
        var state = new StackState { Project = "ipsec-testbed", Stack = "test" };
        foreach (var r in resources.OfType<XfrmState>())
        {
            r.Apply(Reading.Absent);   // as the applier does: the keys have been revealed in this process
            state.Resources.Add(ResourceRecord.For(r.Id, null, r.Desired, RecordStatus.Applied));
        }
        var hex = keys.Requests.Select(q => FakeKeyring.For(q.Slot, q.Algorithm)).Select(s => Convert.ToHexStringLower(s.RevealBytes())).Distinct().ToList();
        return (state, hex);
    }

    [Test]
    public void Save_writes_a_0600_file_that_holds_no_key_hex()
    {
        var (state, hex) = StateWithSas();
        hex.Should().HaveCount(4);
        new StateStore(_paths).Save(state);

        File.GetUnixFileMode(_paths.State).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var text = File.ReadAllText(_paths.State);
        text.Should().Contain("sha256:", "keys are kept as fingerprints");
        foreach (var h in hex) text.Should().NotContainEquivalentOf(h);
        File.Exists(_paths.State + ".tmp").Should().BeFalse();
    }

    [Test]
    public void Save_blanks_a_key_that_slipped_into_a_record()
    {
        var leaked = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var r = new Sysctl { Host = "gw-a", Key = "net.ipv4.tcp_sack", Value = "1" };
        var state = new StackState { Project = "ipsec-testbed", Stack = "test", Resources = [ResourceRecord.For(r.Id, Fields.Of(("enc", $"cbc(aes) {leaked}")), r.Desired, RecordStatus.Applied)] };
        new StateStore(_paths).Save(state);
        File.ReadAllText(_paths.State).Should().NotContain(leaked[2..]).And.Contain("0x[secret]");
    }

    [Test]
    public void Load_reads_back_what_was_saved()
    {
        var (state, _) = StateWithSas();
        state.LastUp = DateTimeOffset.UnixEpoch;
        state.Hosts["gw-a"] = new HostRecord { Endpoint = "root@127.0.0.1:40022", BootId = "b" };
        var store = new StateStore(_paths);
        store.Save(state);

        var back = store.Load("ipsec-testbed", "test");
        back.Resources.Select(r => (r.Urn, r.Applied)).Should().Equal(state.Resources.Select(r => (r.Urn, r.Applied)));
        back.Hosts["gw-a"].Endpoint.Should().Be("root@127.0.0.1:40022");
        back.LastUp.Should().Be(DateTimeOffset.UnixEpoch);
    }

    [Test]
    public void Load_of_no_file_is_an_empty_state_and_a_damaged_file_is_refused_and_left_alone()
    {
        var store = new StateStore(_paths);
        var empty = store.Load("ipsec-testbed", "test");
        (empty.Project, empty.Stack, empty.Resources.Count).Should().Be(("ipsec-testbed", "test", 0));

        _paths.Ensure();
        File.WriteAllText(_paths.State, "{ not json");
        FluentActions.Invoking(() => store.Load("ipsec-testbed", "test")).Should().Throw<InvalidDataException>().WithMessage("*damaged*");
        File.ReadAllText(_paths.State).Should().Be("{ not json");
    }

    [Test]
    public void Update_changes_and_saves_in_one_step()
    {
        var store = new StateStore(_paths);
        var state = new StackState { Project = "ipsec-testbed", Stack = "test" };
        store.Update(state, s => s.Hosts["gw-b"] = new HostRecord { BootId = "x" });
        store.Load("ipsec-testbed", "test").Hosts["gw-b"].BootId.Should().Be("x");
    }
}
