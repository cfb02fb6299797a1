using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

/// <summary>A setting the stack no longer declares is rebuilt from its state record, and must read and restore as the original did.</summary>
public class ResourceCatalogTests
{
    public static IEnumerable<KindSample> Samples() => ResourceKinds.All();

    static Resource Rehydrated(Resource r) => ResourceCatalog.Rehydrate(r.Host, r.Kind, r.Identity, r.Desired);

    [Test]
    public void The_samples_cover_every_resource_kind()
    {
        var samples = ResourceKinds.All().ToList();
        samples.Select(s => s.Declared.GetType()).Should().BeEquivalentTo(ResourceKinds.ConcreteTypes());
        samples.Should().OnlyContain(s => s.Declared.Kind == s.Kind);
    }

    [TestCaseSource(nameof(Samples))]
    public void Rehydrate_gives_the_same_kind_urn_and_identity(KindSample s)
    {
        var r = Rehydrated(s.Declared);
        r.GetType().Should().Be(s.Declared.GetType());
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
        // What the state file keeps: identity as a dictionary and the applied value through JSON.
        var json = System.Text.Json.JsonSerializer.Serialize(s.Declared.Desired, Testbed.Engine.StateStore.Json);
        var applied = System.Text.Json.JsonSerializer.Deserialize<Fields>(json, Testbed.Engine.StateStore.Json);
        var r = ResourceCatalog.Rehydrate(s.Declared.Host, s.Kind, new Dictionary<string, string>(s.Declared.Identity), applied);
        r.Urn.Should().Be(s.Declared.Urn);
        r.Restore(s.Original).Should().Be(s.Declared.Restore(s.Original));
    }

    [Test]
    public void Rehydrate_keeps_the_scalar_settings_desired_value()
    {
        foreach (var s in ResourceKinds.All().Where(s => s.Declared is Sysctl or NicCoalesce or NicOffload or LinkMtu or Route or DummyLink or Address or Package))
            Rehydrated(s.Declared).Desired.Should().Be(s.Declared.Desired, s.Kind);
    }

    [Test]
    public void Unknown_kind_is_refused_naming_it() =>
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", "iptables", new Dictionary<string, string>(), null))
            .Should().Throw<InvalidDataException>().WithMessage("*unknown resource kind 'iptables' on gw-a*");

    [Test]
    public void Missing_identity_key_is_refused_naming_it() =>
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", "sysctl", new Dictionary<string, string>(), null))
            .Should().Throw<InvalidDataException>().WithMessage("*gw-a/sysctl lacks 'key'*");

    [Test]
    public void Bad_spi_in_state_is_refused() =>
        FluentActions.Invoking(() => ResourceCatalog.Rehydrate("gw-a", "xfrm-state",
                new Dictionary<string, string> { ["src"] = "a", ["dst"] = "b", ["proto"] = "esp", ["spi"] = "0xzz" }, null))
            .Should().Throw<InvalidDataException>().WithMessage("*bad spi*");
}
