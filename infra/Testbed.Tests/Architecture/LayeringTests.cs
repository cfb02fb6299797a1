using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.NUnit;
using NUnit.Framework;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Testbed.Tests.Architecture;

/// <summary>
/// The layers of the tool, bottom to top, as rules on the compiled code: data flows one way (config files -> model
/// -> resources -> engine -> transport), the local testbed is a provider like any other, and nothing outside the
/// providers asks which provider it has. A new dependency against the grain fails here, naming the types.
/// </summary>
public class LayeringTests
{
    static readonly ArchUnitNET.Domain.Architecture Tool = new ArchLoader().LoadAssemblies(typeof(global::Testbed.Engine.Deployment).Assembly).Build();

    /// <summary>The types of one layer: a namespace of the tool and the namespaces under it.</summary>
    static IObjectProvider<IType> Layer(string name) =>
        Types().That().ResideInNamespaceMatching($@"^Testbed\.{name}(\..*)?$").As(name);

    static IObjectProvider<IType> Layers(params string[] names) =>
        Types().That().ResideInNamespaceMatching($@"^Testbed\.({string.Join('|', names)})(\..*)?$").As(string.Join(", ", names));

    static readonly string[] All =
        ["Secrets", "Diagnostics", "Model", "Transport", "Machine", "Resources", "Config", "Providers", "Local", "Engine", "Measurement", "Bench", "Cli"];

    /// <summary>Each layer and what it may use besides itself; everything else of the tool is out of bounds.</summary>
    static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Secrets"] = [],
        ["Diagnostics"] = ["Secrets"],
        ["Model"] = ["Secrets"],
        ["Transport"] = ["Model", "Secrets", "Diagnostics"],
        ["Machine"] = ["Transport"],
        ["Resources"] = ["Model", "Secrets", "Transport"],
        ["Config"] = ["Model", "Secrets", "Resources", "Providers"],
        ["Providers"] = ["Model", "Secrets", "Transport"],
        ["Local"] = ["Providers", "Model", "Secrets", "Transport", "Machine", "Diagnostics"],
        ["Engine"] = ["Providers", "Model", "Secrets", "Transport", "Resources", "Config", "Diagnostics"],
        ["Measurement"] = ["Engine", "Providers", "Model", "Secrets", "Transport", "Resources", "Config", "Machine", "Diagnostics"],
        ["Bench"] = ["Measurement", "Engine", "Providers", "Model", "Secrets", "Transport", "Resources", "Config", "Machine", "Diagnostics"],
    };

    public static IEnumerable<TestCaseData> LayerRules() =>
        MayUse.Select(kv => new TestCaseData(kv.Key, kv.Value).SetName($"{kv.Key} uses only {(kv.Value.Length == 0 ? "itself" : string.Join(", ", kv.Value))}"));

    [TestCaseSource(nameof(LayerRules))]
    public void A_layer_uses_only_the_layers_below_it(string layer, string[] below)
    {
        var forbidden = All.Where(l => l != layer && !below.Contains(l)).ToArray();
        Types().That().Are(Layer(layer)).Should().NotDependOnAny(Layers(forbidden)).Check(Tool);
    }

    [Test]
    public void Only_the_local_testbed_knows_the_local_testbed() =>
        Types().That().AreNot(Layer("Local")).Should().NotDependOnAny(Layer("Local"))
            .Because("the engine, the bench and the CLI ask the provider's traits, never which provider it is").Check(Tool);

    [Test]
    public void Only_the_engine_and_the_config_read_which_provider_a_stack_names() =>
        Types().That().AreNot(Layers("Model", "Engine", "Config", "Providers", "Local")).Should()
            .NotCallAny(MethodMembers().That().HaveFullNameContaining("Testbed.Model.TestbedSpec::get_Provider()"))
            .Because("a branch on the provider's name outside the providers is what traits are for").Check(Tool);

    [Test]
    public void Only_the_records_of_a_run_read_a_providers_kind() =>
        Types().That().AreNot(Layers("Providers", "Local"))
            .And().DoNotHaveFullNameContaining("EnvironmentProbe").And().DoNotHaveFullNameContaining("StatusVerb").Should()
            .NotCallAny(MethodMembers().That().HaveFullNameContaining("Testbed.Providers.IHostProvider::get_Kind()"))
            .Because("results and status name the host kind; nothing else may branch on it").Check(Tool);
}
