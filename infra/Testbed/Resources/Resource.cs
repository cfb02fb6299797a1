using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>How a setting that differs gets to the desired value.</summary>
public enum Change { None, Create, Update, Replace, Delete, Skip }

/// <summary>
/// One setting the stack declares on one host, in the shape of Pulumi.Command's <c>remote.Command</c> (create,
/// update, delete) plus the <c>read</c> it lacks. Its <see cref="Id"/> says which setting it is and how to read it
/// and put it back; the declaration adds the value wanted, how to set it, and whether a change updates in place or
/// replaces.
/// </summary>
public abstract record Resource
{
    /// <summary>The host the setting lives on (a gateway, or <c>wire</c> for the local testbed's link).</summary>
    public required string Host { get; init; }

    public abstract ResourceId Id { get; }

    public ResourceKind Kind => Id.Kind;

    public string Name => Id.Name;

    public string Urn => Id.Urn;

    public IReadOnlyDictionary<string, string> Identity => Id.Identity;

    public string ReadScript => Id.ReadScript;

    /// <summary>The live value as this declaration sees it: the identity's reading, against the desired value.</summary>
    public Reading Parse(string output) => Id.Parse(output).Against(Desired);

    public RemoteCommand Restore(Fields? original) => Id.Restore(original);

    /// <summary>The value the stack declares.</summary>
    public abstract Fields Desired { get; }

    /// <summary>Resources (by URN, same host) that must exist first and go last.</summary>
    public virtual IEnumerable<string> DependsOn => [];

    /// <summary>Made anew when something it depends on changes, even if it reads as declared (a child SA after its connection).</summary>
    public virtual bool RenewedWithDependencies => false;

    /// <summary>Sets the desired value. Must be safe to run again: a retry after a dropped connection reruns it.</summary>
    public abstract RemoteCommand Apply(Reading live);

    /// <summary>Whether a differing live value is brought to the desired one in place or by removing and re-adding.</summary>
    public virtual Change ChangeFrom(Fields live) => Change.Update;

    /// <summary>
    /// True for settings the tool owns outright (an SA, a policy, an address): finding one the stack did not create
    /// is a conflict, not something to overwrite.
    /// </summary>
    public virtual bool Exclusive => false;

    /// <summary>
    /// Resources on different hosts with the same key are one object split across hosts, and are (re)created
    /// together: an SA's copy on the sender and on the receiver. Null for settings that stand alone.
    /// </summary>
    public virtual string? PairKey => null;

    /// <summary>True when a driver may round the value it is given (interrupt coalescing in jiffies).</summary>
    public virtual bool MaySettle => false;

    /// <summary>True when a host without the knob skips it rather than fails (profile-supplied NIC options).</summary>
    public virtual bool BestEffort => false;

    // Sealed: a derived record would print every property, and some hold key material (a swanctl snippet with its PSK).
    public sealed override string ToString() => Urn;
}
