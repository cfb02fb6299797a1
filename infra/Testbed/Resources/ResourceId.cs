using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>
/// Which setting on which host, and nothing about the value wanted: what the state file keeps of a setting, and
/// all that reading it and putting back the value found before the first change need. A setting the stack no
/// longer declares is known by this alone (<see cref="ResourceCatalog.Rehydrate"/>).
/// </summary>
/// <param name="Host">The host the setting lives on (a gateway, or <c>wire</c> for the local testbed's link).</param>
public abstract record ResourceId(string Host)
{
    public abstract ResourceKind Kind { get; }

    /// <summary>Which instance of the kind: the sysctl key, the SA's <c>proto spi</c>, …</summary>
    public abstract string Name { get; }

    public string Urn => $"{Host}/{Kind.Name}/{Name}";

    /// <summary>The identity as the state file writes it; <see cref="ResourceCatalog.Rehydrate"/> reads it back.</summary>
    public abstract IReadOnlyDictionary<string, string> Identity { get; }

    /// <summary>
    /// Prints what <see cref="Parse"/> needs. Settings of one kind share a script (<c>ip xfrm state</c>, <c>ethtool -c</c>),
    /// and the engine runs each distinct script once per host per read, all in one round trip.
    /// </summary>
    public abstract string ReadScript { get; }

    public abstract Reading Parse(string output);

    /// <summary>Puts back the value found before the first change (absent: remove the setting).</summary>
    public abstract RemoteCommand Restore(Fields? original);

    public sealed override string ToString() => Urn;
}
