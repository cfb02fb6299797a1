using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>An IPv4 address on an interface (<c>ip addr</c>).</summary>
public sealed record AddressId(string Host, string Dev, string Cidr) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.Addr;
    public override string Name => $"{Cidr} dev {Dev}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev, ["cidr"] = Cidr };
    public override string ReadScript => Address.Ipv4Read;

    /// <summary>Where the address is found: the interface that holds it, which may not be <see cref="Dev"/>.</summary>
    public override Reading Parse(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 4 && words[2] == "inet" && words[3] == Cidr)
                return Reading.Of(Fields.Of(("dev", words[1])));
        }
        return Reading.Absent;
    }

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip addr del {Sh.Quote(Cidr)} dev {Sh.Quote(Dev)} 2>/dev/null || true") : RemoteCommand.Nothing;
}

/// <summary>An IPv4 address on the interface it belongs on.</summary>
public sealed record Address : Resource
{
    public required string Dev { get; init; }
    public required string Cidr { get; init; }
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>Addresses and routes in one process; the line shapes tell them apart.</summary>
    public const string Ipv4Read = "ip -o -4 -batch - <<'EOF'\naddr show\nroute show\nEOF";

    public override AddressId Id => new(Host, Dev, Cidr);
    public override Fields Desired => Fields.Of(("dev", Dev));
    public override IEnumerable<string> DependsOn => After;

    public override RemoteCommand Apply(Reading live) =>
        new((live.Value?["dev"] is { } wrongDev && wrongDev != Dev ? $"ip addr del {Sh.Quote(Cidr)} dev {Sh.Quote(wrongDev)}\n" : "") +
            $"ip addr replace {Sh.Quote(Cidr)} dev {Sh.Quote(Dev)}");

    public override bool Exclusive => true;
}
