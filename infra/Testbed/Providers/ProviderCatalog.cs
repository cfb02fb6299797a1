using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Testbed.Providers;

/// <summary>
/// Registers a provider, under the name an inventory's <c>provider:</c> gives it; written beside the provider's class
/// as <c>[assembly: HostProvider("name", typeof(TheProvider))]</c>. An attribute of the assembly rather than of the
/// class, so that the catalog finds the providers without walking every type of the build, which a trimmed (Native AOT)
/// build cannot do safely; the type's constructors are kept for <see cref="ProviderCatalog.Create"/> by the annotation.
/// </summary>
/// <param name="MakesEndpoints">The provider reaches the hosts itself (the local testbed's forwards): an inventory
/// for it names no <c>ssh:</c> per host. Otherwise every host needs one.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class HostProviderAttribute(string name, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type,
    bool makesEndpoints = false) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The provider's class: an <see cref="IHostProvider"/> with a public constructor taking a <see cref="ProviderContext"/>.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)]
    public Type Type { get; } = type;

    public bool MakesEndpoints { get; } = makesEndpoints;
}

/// <summary>
/// The providers this build has, found by their <see cref="HostProviderAttribute"/>: plug-ins, so that neither the
/// engine nor the inventory reader names one. A provider has a constructor taking a <see cref="ProviderContext"/>.
/// </summary>
public static class ProviderCatalog
{
    static readonly Lazy<IReadOnlyDictionary<string, HostProviderAttribute>> Found = new(() =>
        typeof(ProviderCatalog).Assembly.GetCustomAttributes<HostProviderAttribute>()
            .Where(p => typeof(IHostProvider).IsAssignableFrom(p.Type) && !p.Type.IsAbstract)
            .ToDictionary(p => p.Name));

    public static IEnumerable<string> Names => Found.Value.Keys.Order();

    /// <summary>Null when no provider has this name.</summary>
    public static HostProviderAttribute? Describe(string name) => Found.Value.GetValueOrDefault(name);

    public static IHostProvider Create(string name, ProviderContext context) =>
        Found.Value.TryGetValue(name, out var p)
            ? (IHostProvider)Activator.CreateInstance(p.Type, context)!
            : throw new ArgumentException($"no provider '{name}' (providers: {string.Join(", ", Names)})", nameof(name));
}
