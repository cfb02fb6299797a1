using Testbed.Model;
using Testbed.Secrets;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>
/// The tool's swanctl.conf snippet on a host and the connection it holds, loaded into the daemon. Read as the file's
/// digest (the file holds the pre-shared key, so only a digest leaves the host) and whether the daemon has it loaded.
/// </summary>
public sealed record SwanctlConnId(string Host, string File = SwanctlConnId.DefaultFile) : ResourceId(Host)
{
    /// <summary>Where the snippet goes: swanctl.conf includes conf.d/*.conf, so the daemon's own start loads it too.</summary>
    public const string DefaultFile = "/etc/swanctl/conf.d/ipsec-testbed.conf";

    public override ResourceKind Kind => ResourceKind.SwanctlConn;
    public override string Name => IkeSettings.Connection;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["conn"] = Name, ["file"] = File };

    public override string ReadScript =>
        $"if [ -f {Sh.Quote(File)} ]; then echo \"file sha256:$(sha256sum < {Sh.Quote(File)} | cut -c1-16)\"; else echo 'file absent'; fi; " +
        $"if swanctl --list-conns 2>/dev/null | grep -q '^{Name}: '; then echo 'loaded yes'; else echo 'loaded no'; fi";

    public override Reading Parse(string output)
    {
        var words = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2)).Where(w => w.Length == 2).ToDictionary(w => w[0], w => w[1]);
        var (file, loaded) = (words.GetValueOrDefault("file", "absent"), words.GetValueOrDefault("loaded", "no"));
        return file == "absent" && loaded == "no" ? Reading.Absent : Reading.Of(Fields.Of(("file", file), ("loaded", loaded)));
    }

    /// <summary>Removes the file and reloads, which unloads the connection and clears its key from the daemon.</summary>
    public override RemoteCommand Restore(Fields? original) => original is not null ? RemoteCommand.Nothing : new(
        $"rm -f {Sh.Quote(File)}; if swanctl --stats >/dev/null 2>&1; then swanctl --load-all --clear --noprompt >/dev/null 2>&1 || true; fi");
}

/// <summary>
/// The IKEv2 connection between the gateways as a swanctl.conf snippet (<see cref="SwanctlText"/>), written whole
/// (0600: it holds the pre-shared key, which reaches the host on stdin) and loaded with <c>swanctl --load-all</c>.
/// </summary>
public sealed record SwanctlConn : Resource
{
    public required string Text { get; init; }
    public required string DaemonUrn { get; init; }

    public override SwanctlConnId Id => new(Host);

    public override Fields Desired => Fields.Of(("file", "sha256:" + Digest(Text)), ("loaded", "yes"));

    /// <summary>The first 16 hex digits of the text's SHA-256, as <c>sha256sum | cut -c1-16</c> prints them on the host.</summary>
    public static string Digest(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];

    public override RemoteCommand Apply(Reading live) => new(
        $"umask 077; mkdir -p {Sh.Quote(Path.GetDirectoryName(Id.File)!)} && cat > {Sh.Quote(Id.File + ".new")} && mv {Sh.Quote(Id.File + ".new")} {Sh.Quote(Id.File)} && " +
        "{ out=$(swanctl --load-all --clear --noprompt 2>&1) || { printf '%s\\n' \"$out\" | grep -v \"^plugin '\" >&2; exit 1; }; }",
        Text);

    public override IEnumerable<string> DependsOn => [DaemonUrn];

    // The file holds a key the tool made: one found that it did not write is someone else's.
    public override bool Exclusive => true;
}
