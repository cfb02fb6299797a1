using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Engine;

/// <summary>Kinds are typed in the program and words in the state file, as they always were, so old files still load.</summary>
public class StateFileKindTests
{
    static readonly XfrmStateId Sa = new("gw-a", "192.0.2.1", "192.0.2.2", "esp", 0x1001);

    [Test]
    public void A_record_is_written_with_the_kind_as_its_word()
    {
        var json = JsonSerializer.Serialize(ResourceRecord.For(Sa, null, Fields.Of(("reqid", "1")), RecordStatus.Applied), StateStore.Json);
        json.Should().Contain("\"kind\": \"xfrm-state\"").And.NotContain("XfrmState").And.NotContain("\"kind\": 9");
        JsonSerializer.Deserialize<ResourceRecord>(json, StateStore.Json)!.Kind.Should().Be(ResourceKind.XfrmState);
    }

    [TestCaseSource(typeof(ResourceKinds), nameof(ResourceKinds.All))]
    public void Every_kind_is_written_by_its_name(KindSample s) =>
        JsonSerializer.Serialize(ResourceRecord.For(s.Declared.Id, s.Original), StateStore.Json)
            .Should().Contain($"\"kind\": \"{s.Kind.Name}\"");

    [Test]
    public void A_state_file_written_before_kinds_were_typed_loads_and_every_record_rehydrates()
    {
        using var dir = new TempDir();
        var paths = new StackPaths(dir.Path);
        paths.Ensure();
        File.WriteAllText(paths.State, """
            {
              "version": 1, "project": "ipsec-testbed", "stack": "lab",
              "hosts": {},
              "resources": [
                { "urn": "gw-a/xfrm-state/esp spi 0x00001001 192.0.2.1>192.0.2.2", "host": "gw-a", "kind": "xfrm-state",
                  "identity": { "src": "192.0.2.1", "dst": "192.0.2.2", "proto": "esp", "spi": "0x00001001" },
                  "applied": [["reqid", "1"], ["mode", "tunnel"]], "status": "applied", "updated": "2026-12-01T10:00:00+00:00" },
                { "urn": "wire/qdisc/veth-a root", "host": "wire", "kind": "qdisc", "identity": { "dev": "veth-a" },
                  "original": [["qdisc", "noqueue"]], "applied": [["qdisc", "tbf"], ["rate", "100Mbit"]], "status": "applied",
                  "updated": "2026-12-01T10:00:00+00:00" },
                { "urn": "gw-a/ethtool-coalesce/vec0 tx-usecs", "host": "gw-a", "kind": "ethtool-coalesce",
                  "identity": { "dev": "vec0", "param": "tx-usecs" }, "original": [["value", "10000"]], "applied": [["value", "64"]],
                  "settled": [["value", "60"]], "status": "applied", "updated": "2026-12-01T10:00:00+00:00" }
              ]
            }
            """);

        var state = new StateStore(paths).Load("ipsec-testbed", "lab");

        state.Resources.Select(r => r.Kind).Should().Equal(ResourceKind.XfrmState, ResourceKind.Qdisc, ResourceKind.EthtoolCoalesce);
        state.Resources.Select(r => r.Rehydrate()).Should().Equal(Sa, new ShaperId("wire", "veth-a"), new NicCoalesceId("gw-a", "vec0", "tx-usecs"));
        state.Resources.Should().OnlyContain(r => r.Rehydrate().Urn == r.Urn);
        new StateStore(paths).Save(state);
        File.ReadAllText(paths.State).Should().Contain("\"kind\": \"xfrm-state\"").And.Contain("\"kind\": \"ethtool-coalesce\"");
    }

    [Test]
    public void A_state_file_naming_a_kind_the_tool_does_not_know_is_refused_naming_the_kind_and_where()
    {
        using var dir = new TempDir();
        var paths = new StackPaths(dir.Path);
        paths.Ensure();
        const string text = """{ "resources": [ { "urn": "gw-a/iptables/x", "host": "gw-a", "kind": "iptables", "identity": {} } ] }""";
        File.WriteAllText(paths.State, text);
        FluentActions.Invoking(() => new StateStore(paths).Load("ipsec-testbed", "lab"))
            .Should().Throw<InvalidDataException>().WithMessage("*damaged*unknown resource kind 'iptables'*$.resources[0].kind*");
        File.ReadAllText(paths.State).Should().Be(text, "a file the tool cannot read is left for a person to inspect");
    }
}
