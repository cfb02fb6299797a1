using System.Reflection;

namespace Testbed.Providers;

/// <summary>Marks a provider, under the name an inventory's <c>provider:</c> gives it.</summary>
/// <param name="MakesEndpoints">The provider reaches the hosts itself (the local testbed's forwards): an inventory
/// for it names no <c>ssh:</c> per host. Otherwise every host needs one.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HostProviderAttribute(string name, bool makesEndpoints = false) : Attribute
{
    public string Name { get; } = name;
    public bool MakesEndpoints { get; } = makesEndpoints;
}

/// <summary>
/// The providers this build has, found by their <see cref="HostProviderAttribute"/>: plug-ins, so that neither the
/// engine nor the inventory reader names one. A provider has a constructor taking a <see cref="ProviderContext"/>.
/// </summary>
public static class ProviderCatalog
{
    static readonly Lazy<IReadOnlyDictionary<string, (Type Type, HostProviderAttribute Info)>> Found = new(() =>
        typeof(ProviderCatalog).Assembly.GetTypes()
            .Where(t => typeof(IHostProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (Type: t, Info: t.GetCustomAttribute<HostProviderAttribute>()))
            .Where(p => p.Info is not null)
            .ToDictionary(p => p.Info!.Name, p => (p.Type, p.Info!)));

    public static IEnumerable<string> Names => Found.Value.Keys.Order();

    /// <summary>Null when no provider has this name.</summary>
    public static HostProviderAttribute? Describe(string name) => Found.Value.TryGetValue(name, out var p) ? p.Info : null;

    public static IHostProvider Create(string name, ProviderContext context) =>
        Found.Value.TryGetValue(name, out var p)
            ? (IHostProvider)Activator.CreateInstance(p.Type, context)!
            : throw new ArgumentException($"no provider '{name}' (providers: {string.Join(", ", Names)})", nameof(name));
}
