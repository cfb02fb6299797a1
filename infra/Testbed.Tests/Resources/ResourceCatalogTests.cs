using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

/// <summary>
/// A setting the stack no longer declares is rebuilt from its state record as an identity, and must read and
/// restore as the declared setting did.
/// </summary>
public class ResourceCatalogTests
{
    public static IEnumerable<KindSample> Samples() => ResourceKinds.All();

    static ResourceId Rehydrated(Resource r) => ResourceCatalog.Rehydrate(r.Host, r.Kind, r.Identity);

    [Test]
    public void The_samples_cover_every_resource_kind()
    {
        var samples = ResourceKinds.All().ToList();
        samples.Select(s => s.Declared.GetType()).Should().BeEquivalentTo(ResourceKinds.ConcreteTypes());
        samples.Select(s => s.Declared.Id.GetType()).Should().BeEquivalentTo(ResourceKinds.ConcreteIdTypes());
        samples.Select(s => s.Kind).Should().BeEquivalentTo(ResourceKindInfo.All);
        samples.Should().OnlyContain(s => s.Declared.Kind == s.Kind);
    }

    [TestCaseSource(nameof(Samples))]
    public void Rehydrate_gives_the_same_kind_urn_and_identity(KindSample s)
    {
        var r = Rehydrated(s.Declared);
        r.GetType().Should().Be(s.Declared.Id.GetType());
        r.Should().Be(s.Declared.Id);
        r.Urn.Should().Be(s.Declared.Urn);
        r.Kind.Should().Be(s.Kind);
        r.Identity.Should().Equal(s.Declared.Identity);
    }

    [TestCaseSource(nameof(Samples))]
    public void Rehydrated_resource_reads_the_same_way(KindSample s)
    {
        var r = Rehydrated(s.Declared);
        r.ReadScript.Should().Be(s.Declared.ReadScript);
        r.Parse(s.Output).Should().Be(s.Declared.Parse(s.Output));
    }

    [TestCaseSource(nameof(Samples))]
    public void Rehydrated_resource_restores_the_same_way(KindSample s)
    {
        var r = Rehydrated(s.Declared);
        r.Restore(null).Should().Be(s.Declared.Restore(null));
        r.Restore(s.Original).Should().Be(s.Declared.Restore(s.Original));
        r.Restore(s.Declared.Desired).Should().Be(s.Declared.Restore(s.Declared.Desired));
    }

    [TestCaseSource(nameof(Samples))]
    public void Rehydrate_survives_the_state_file(KindSample s)
    {
        // What the state file keeps: the record, through JSON, identity as a dictionary.
        var record = ResourceRecord.For(s.Declared.Id, s.Original, s.Declared.Desired, RecordStatus.Applied);
        var back = JsonSerializer.Deserialize<ResourceRecord>(JsonSerializer.Serialize(record, StateStore.Json), StateStore.Json)!;
        back.Kind.Should().Be(s.Kind);
        var r = back.Rehydrate();
        (r.Urn, r.Name, r.ReadScript).Should().Be((s.Declared.Urn, s.Declared.Name, s.Declared.ReadScript));
        r.Restore(s.Original).Should().Be(s.Declared.Restore(s.Original));
    }

    [Test]
    public void Rehydrate_needs_no_desired_value_and_an_identity_has_none()
    {
        // Rebuilding once took the last applied value and made up the rest (rate 0, MTU 1500); an identity has no place for one.
        foreach (var s in ResourceKinds.All())
            Rehydrated(s.Declared).Should().Be(s.Declared.Id, s.Kind.Name);
        foreach (var type in ResourceKinds.ConcreteIdTypes())
        {
            type.GetProperty(nameof(Resource.Desired)).Should().BeNull(type.Name);
            type.GetMethod(nameof(Resource.Apply)).Should().BeNull(type.Name);
        }
    }

    [Test]
    public void Unknown_kind_is_refused_naming_it()
    {
        ResourceKindInfo.Parse("iptables").Should().BeNull();
        const string json = """{ "urn": "gw-a/iptables/x", "host": "gw-a", "kind": "iptables", "identity": {} }""";
        FluentActions.Invoking(() => JsonSerializer.Deserialize<ResourceRecord>(json, StateStore.Json))
            .Should().Throw<JsonException>().WithMessage("*unknown resource kind 'iptables'*");
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", (ResourceKind)99, new Dictionary<string, string>()))
            .Should().Throw<InvalidDataException>().WithMessage("*kind 99 on gw-a*");
    }

    [Test]
    public void Missing_identity_key_is_refused_naming_it() =>
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", ResourceKind.Sysctl, new Dictionary<string, string>()))
            .Should().Throw<InvalidDataException>().WithMessage("*gw-a/sysctl lacks 'key'*");

    [Test]
    public void Bad_spi_in_state_is_refused() =>
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", ResourceKind.XfrmState,
                new Dictionary<string, string> { ["src"] = "a", ["dst"] = "b", ["proto"] = "esp", ["spi"] = "0xzz" }))
            .Should().Throw<InvalidDataException>().WithMessage("*bad spi*");
}
