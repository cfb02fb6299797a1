using System.Text.Json;
using System.Text.RegularExpressions;
using Testbed.Cli.Verbs;
using Testbed.Engine;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// What a gateway holds of the lab's IPsec and site plumbing, read with <c>testbed ssh</c>: each SA, policy, site
/// address and route, counted, so that "exactly once" can be asserted after a kill or a retry.
/// </summary>
public sealed partial record LiveView(string Host, IReadOnlyList<string> Sas, IReadOnlyList<string> Policies, string Addresses, string Routes, string? Ping)
{
    public const string Script = "ip xfrm state; echo @@policy; ip xfrm policy; echo @@addr; ip -o -4 addr show; echo @@route; ip route show";

    /// <summary>Three pings from gw-a's site address to gw-b's, through the tunnel.</summary>
    public static readonly string PingScript =
        $"echo @@ping; ping -c 3 -i 0.2 -W 2 -I {ThrowAwayProject.Gateways[0].SiteAddress} {ThrowAwayProject.Gateways[1].SiteAddress}";

    public static LiveView Parse(string host, string output)
    {
        var parts = Regex.Split(output, "^@@\\w+$", RegexOptions.Multiline);
        return new LiveView(host, Blocks(parts[0], SaName), Blocks(parts[1], PolicyName), parts[2], parts[3], parts.Length > 4 ? parts[4] : null);
    }

    /// <summary>Each block of <c>ip xfrm</c> output (a "src … dst …" line and its indented lines), named as status names it.</summary>
    static List<string> Blocks(string text, Func<string, string, string?> name)
    {
        var names = new List<string>();
        string? head = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("src ", StringComparison.Ordinal)) head = line.Trim();
            else if (head is not null && name(head, line.Trim()) is { } n)
            {
                names.Add(n);
                head = null;
            }
        }
        return names;
    }

    // "src 192.0.2.1 dst 192.0.2.2" + "proto esp spi 0x00001001 reqid 1 mode tunnel" -> "esp spi 0x00001001 192.0.2.1>192.0.2.2"
    static string? SaName(string head, string line)
    {
        var h = head.Split(' ');
        var m = SaLine().Match(line);
        return m.Success ? $"{m.Groups[1].Value} spi {m.Groups[2].Value} {h[1]}>{h[3]}" : null;
    }

    // "src 10.1.0.0/24 dst 10.2.0.0/24" + "dir out priority 0 ptype main" -> "10.1.0.0/24>10.2.0.0/24 dir out"
    static string? PolicyName(string head, string line)
    {
        var h = head.Split(' ');
        var m = PolicyLine().Match(line);
        return m.Success ? $"{h[1]}>{h[3]} dir {m.Groups[1].Value}" : null;
    }

    public int CountAddress(string cidr) => Addresses.Split('\n').Count(l => l.Contains($" inet {cidr} "));

    public int CountRoute(string to) => Routes.Split('\n').Count(l => l.StartsWith(to + " ", StringComparison.Ordinal));

    [GeneratedRegex("^proto (\\w+) spi (0x[0-9a-f]+) ")]
    private static partial Regex SaLine();

    [GeneratedRegex("^dir (\\w+) ")]
    private static partial Regex PolicyLine();

    /// <summary><c>status --json</c>, read with the tool's own record types.</summary>
    public static StatusVerb.Report ParseStatus(string json) =>
        JsonSerializer.Deserialize<StatusVerb.Report>(json, StatusVerb.Json) ?? throw new InvalidDataException("status --json printed null");

    /// <summary>The value a setting must read back as: the applied one, or what the driver settled on ("64 (driver: 10000)").</summary>
    public static string? Expected(StatusVerb.SettingStatus s) =>
        s.Applied is { } a && DriverValue().Match(a) is { Success: true } m ? m.Groups[1].Value : s.Applied;

    [GeneratedRegex("\\(driver: (.*)\\)$")]
    private static partial Regex DriverValue();
}
