using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>What reading a setting on a live host found.</summary>
public sealed record Reading(Fields? Value, string? Unsupported = null)
{
    public static readonly Reading Absent = new((Fields?)null);

    public static Reading Of(Fields value) => new(value);

    public static Reading NotSupported(string why) => new(null, why);

    public bool IsAbsent => Value is null && Unsupported is null;
}

/// <summary>How a setting that differs gets to the desired value.</summary>
public enum Change { None, Create, Update, Replace, Delete, Skip }

/// <summary>
/// One setting on one host, in the shape of Pulumi.Command's <c>remote.Command</c> (create, update, delete) plus
/// the <c>read</c> it lacks: how to read the live value, how to set the desired one, how to put back the value
/// found before the first change, and whether a change updates in place or replaces.
/// </summary>
public abstract record Resource
{
    /// <summary>The host the setting lives on (a gateway, or <c>wire</c> for the local testbed's link).</summary>
    public required string Host { get; init; }

    /// <summary>The kind, named as the tool that sets it names it: <c>sysctl</c>, <c>xfrm-state</c>, …</summary>
    public abstract string Kind { get; }

    /// <summary>Which instance of the kind: the sysctl key, the SA's <c>proto spi</c>, …</summary>
    public abstract string Name { get; }

    public string Urn => $"{Host}/{Kind}/{Name}";

    /// <summary>What identifies the setting; enough to read it and restore it after the declaration is gone.</summary>
    public abstract IReadOnlyDictionary<string, string> Identity { get; }

    /// <summary>The value the stack declares.</summary>
    public abstract Fields Desired { get; }

    /// <summary>Resources (by URN, same host) that must exist first and go last.</summary>
    public virtual IEnumerable<string> DependsOn => [];

    /// <summary>
    /// Prints what <see cref="Parse"/> needs. Resources of one kind share a script (<c>ip xfrm state</c>, <c>ethtool -c</c>),
    /// and the engine runs each distinct script once per host per read, all in one round trip.
    /// </summary>
    public abstract string ReadScript { get; }

    public abstract Reading Parse(string output);

    /// <summary>Sets the desired value. Must be safe to run again: a retry after a dropped connection reruns it.</summary>
    public abstract RemoteCommand Apply(Reading live);

    /// <summary>Puts back the value found before the first change (absent: remove the setting).</summary>
    public abstract RemoteCommand Restore(Fields? original);

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

    public override string ToString() => Urn;
}
