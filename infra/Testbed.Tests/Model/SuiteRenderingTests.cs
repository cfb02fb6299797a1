using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Model;

/// <summary>
/// Every suite the tool knows, under each IPsec protocol: either a Protection whose SAs render the
/// <c>ip xfrm state add</c> line iproute2 expects (keys on stdin only), or a clear problem. The expectations
/// below are written out independently of CipherSuite.cs; a new suite fails here until it is added to them.
/// </summary>
public class SuiteRenderingTests
{
    static readonly Dictionary<string, (string Name, int Bits)> Ciphers = new()
    {
        ["des"] = ("cbc(des)", 64),
        ["3des"] = ("cbc(des3_ede)", 192),
        ["aes128"] = ("cbc(aes)", 128),
        ["aes192"] = ("cbc(aes)", 192),
        ["aes256"] = ("cbc(aes)", 256),
    };

    static readonly Dictionary<string, (string Name, int Bits, int Trunc)> Macs = new()
    {
        ["md5"] = ("hmac(md5)", 128, 96),
        ["sha1"] = ("hmac(sha1)", 160, 96),
        ["sha256"] = ("hmac(sha256)", 256, 128),
        ["aesxcbc"] = ("xcbc(aes)", 128, 96),
    };

    static readonly Dictionary<string, (string Name, int Bits, int Icv)> Aeads = new()
    {
        ["aes128gcm16"] = ("rfc4106(gcm(aes))", 128 + 32, 128),
        ["aes256gcm16"] = ("rfc4106(gcm(aes))", 256 + 32, 128),
        ["chacha20poly1305"] = ("rfc7539esp(chacha20,poly1305)", 256 + 32, 128),
    };

    sealed record Expected((string Name, int Bits)? Cipher, (string Name, int Bits, int Trunc)? Mac, (string Name, int Bits, int Icv)? Aead);

    static Expected Expect(string suite)
    {
        if (Aeads.TryGetValue(suite, out var aead)) return new(null, null, aead);
        var parts = suite.Split('-');
        if (parts.Length == 1 && Ciphers.TryGetValue(suite, out var c)) return new(c, null, null);
        if (parts.Length == 1 && Macs.TryGetValue(suite, out var m)) return new(null, m, null);
        if (parts.Length == 2 && Ciphers.TryGetValue(parts[0], out var c2) && Macs.TryGetValue(parts[1], out var m2)) return new(c2, m2, null);
        Assert.Fail($"no expectation for suite '{suite}': add its algorithms to {nameof(SuiteRenderingTests)}");
        return null!;
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from suite in CipherSuites.All
        from proto in new[] { IpsecProto.Ah, IpsecProto.Esp, IpsecProto.EspAh }
        select new TestCaseData(proto, suite.Name).SetName($"{IpsecNames.Of(proto)}-{suite.Name}");

    static bool ShouldBeValid(IpsecProto proto, Expected e) => proto switch
    {
        IpsecProto.Ah => e.Cipher is null && e.Aead is null && e.Mac is not null,
        IpsecProto.Esp => e.Cipher is not null || e.Aead is not null,
        _ => e.Cipher is not null && e.Mac is not null,
    };

    [TestCaseSource(nameof(Cases))]
    public void Suite_under_proto_renders_its_sas_or_names_the_problem(IpsecProto proto, string suiteName)
    {
        var suite = CipherSuites.Find(suiteName)!;
        var expected = Expect(suiteName);
        var protection = new Protection(proto, suite);

        if (!ShouldBeValid(proto, expected))
        {
            protection.Problem.Should().NotBeNull().And.Contain(suiteName);
            Protection.Parse(protection.Name).Should().BeNull();
            return;
        }

        protection.Problem.Should().BeNull();
        Protection.Parse(protection.Name).Should().Be(protection);

        var keys = new FakeKeyring();
        var plan = SecurityDatabases.For(Specs.Testbed(IpsecMode.Transport, protection), keys);
        var forward = plan.Sas.Where(s => s.Flow == Flow.Forward).ToList();
        var lines = new List<string>();
        string Key(string slot, string alg, int bits)
        {
            var request = keys.Requests.Single(r => r.Slot == slot);
            request.Algorithm.Name.Should().Be(alg);
            request.Algorithm.KeyBits.Should().Be(bits);
            var hex = FakeKeyring.For(slot, request.Algorithm).RevealHex();
            (hex.Length - 2).Should().Be(bits / 4, $"a {bits}-bit key is {bits / 4} hex digits");
            return hex;
        }
        const string head = "src 192.0.2.1 dst 192.0.2.2";
        switch (proto)
        {
            case IpsecProto.Ah:
                var (macName, macBits, trunc) = expected.Mac!.Value;
                lines.Add($"xfrm state add {head} proto ah spi 0x00001001 reqid 1 mode transport replay-window 32 " +
                          $"auth-trunc {macName} {Key("forward/ah/auth", macName, macBits)} {trunc}\n");
                break;
            case IpsecProto.Esp when expected.Aead is { } a:
                lines.Add($"xfrm state add {head} proto esp spi 0x00001001 reqid 1 mode transport replay-window 32 " +
                          $"aead {a.Name} {Key("forward/esp/aead", a.Name, a.Bits)} {a.Icv}\n");
                break;
            case IpsecProto.Esp:
                var (cName, cBits) = expected.Cipher!.Value;
                var esp = $"xfrm state add {head} proto esp spi 0x00001001 reqid 1 mode transport replay-window 32 " +
                          $"enc {cName} {Key("forward/esp/enc", cName, cBits)}";
                if (expected.Mac is { } m) esp += $" auth-trunc {m.Name} {Key("forward/esp/auth", m.Name, m.Bits)} {m.Trunc}";
                lines.Add(esp + "\n");
                break;
            default:
                var (eName, eBits) = expected.Cipher!.Value;
                var mac = expected.Mac!.Value;
                lines.Add($"xfrm state add {head} proto esp spi 0x00001001 reqid 1 mode transport replay-window 32 " +
                          $"enc {eName} {Key("forward/esp/enc", eName, eBits)}\n");
                lines.Add($"xfrm state add {head} proto ah spi 0x00002001 reqid 1 mode transport replay-window 32 " +
                          $"auth-trunc {mac.Name} {Key("forward/ah/auth", mac.Name, mac.Bits)} {mac.Trunc}\n");
                break;
        }

        forward.Should().HaveCount(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var state = XfrmState.For("gw-a", forward[i]);
            var command = state.Apply(Reading.Absent);
            command.Stdin.Should().Be(lines[i]);
            command.Script.Should().Be($"ip xfrm state delete {head} proto {forward[i].Proto} spi {XfrmText.Hex(forward[i].Spi)} 2>/dev/null; ip -batch -");
            foreach (var key in KeysIn(lines[i]))
            {
                command.Script.Should().NotContain(key[2..], "keys go on stdin, never on the command line");
                state.Desired.ToString().Should().NotContain(key[2..], "the recorded value holds fingerprints only");
            }
        }
    }

    static IEnumerable<string> KeysIn(string line) => Regex.Matches(line, "0x[0-9a-f]{16,}").Select(m => m.Value);
}
