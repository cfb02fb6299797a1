using Testbed.Model;
using Testbed.Resources;
using Testbed.Secrets;

namespace Testbed.Config;

/// <summary>
/// Reads <c>stacks/Pulumi.&lt;stack&gt;.yaml</c> (Pulumi's <c>config:</c> map, keys <c>&lt;project&gt;:&lt;key&gt;</c>) and the
/// inventory it names, checks every value, and returns the testbed it declares. Nothing here touches a host.
/// </summary>
public static partial class StackLoader
{
    public static readonly string[] Keys = ["inventory", "link", "profile", "mtu", "sysctl", "nic", "ipsec"];

    /// <summary>
    /// 576 is the datagram every IPv4 host must accept (RFC 791); below it ESP's overhead leaves TCP next to no room.
    /// 65535 is the largest an IPv4 packet can be.
    /// </summary>
    public const int MinMtu = 576, MaxMtu = 65535;

    public static TestbedSpec Load(Project project, string stack, Func<string, string?>? env = null)
    {
        var errors = new ErrorSink();
        if (!StackNames.IsValid(stack))
            throw new ConfigException(new ConfigError("--stack", stack, "a stack name is letters, digits, '-', '_' and '.'"));
        var path = project.StackFile(stack);
        var display = project.Relative(path);
        if (!File.Exists(path))
        {
            var known = string.Join(", ", project.Stacks());
            throw new ConfigException(new ConfigError(display, "(file)", $"no such stack '{stack}'" + (known.Length > 0 ? $" (stacks: {known})" : "")));
        }
        var file = YamlView.Load(path, display, errors);
        errors.ThrowIfAny();
        file!.AllowOnly("config", "encryptionsalt", "secretsprovider");
        var secrets = new SecretValues(file["encryptionsalt"].String(), env ?? Environment.GetEnvironmentVariable);
        var config = new YamlView(display, "", file["config"].Node, errors);

        var prefix = project.Name + ":";
        foreach (var (key, value) in config.Entries())
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
                value.Error($"config keys are '<project>:<key>'; this project is '{project.Name}'");
            else if (!Keys.Contains(key[prefix.Length..]))
                value.Error($"unknown key (this project reads: {string.Join(", ", Keys.Select(k => prefix + k))})");
        }
        YamlView Key(string key) => new(display, prefix + key, config[prefix + key].Node, errors);

        var inventoryName = Key("inventory").String(required: true);
        var inventory = inventoryName is null ? null
            : StackNames.IsValid(inventoryName) ? InventoryLoader.Load(project, inventoryName, display, errors)
            : Fail(Key("inventory"), $"'{YamlView.Shorten(inventoryName)}' is not an inventory name");

        var linkText = Key("link").String() ?? "unshaped";
        var link = Link.Parse(linkText);
        if (link is null) Key("link").Error($"'{YamlView.Shorten(linkText)}' is not one of: 10mbit, 100mbit, 1000mbit, unshaped");

        var profileName = Key("profile").OneOf("tuned", "stock", "tuned");
        var mtu = Key("mtu").Exists ? Key("mtu").Int(MinMtu, MaxMtu) : 1500;
        var kernel = profileName is null ? null : Overlay(Tuning.Kernel(profileName)!, Key("sysctl"));
        var nic = profileName is null ? null : ReadNic(Tuning.Nic(profileName)!, Key("nic"));
        var ipsec = ReadIpsec(Key("ipsec"), secrets);

        errors.ThrowIfAny();
        return new TestbedSpec(project.Name, stack, display, inventory!.File, inventory.Provider, inventory.Hosts,
            link!, kernel!, nic!, mtu!.Value, ipsec!) { SharedHardware = inventory.SharedHardware, WireIo = inventory.WireIo };
    }

    static Inventory? Fail(YamlView node, string message)
    {
        node.Error(message);
        return null;
    }

    /// <summary>The profile's sysctls with the stack's own values laid over them, key by key.</summary>
    static KernelTuning Overlay(KernelTuning profile, YamlView node)
    {
        var values = profile.Sysctls.ToList();
        foreach (var (key, value) in node.Entries())
        {
            if (!Sysctl.IsValidKey(key))
            {
                value.Error("is not a sysctl name (like net.ipv4.tcp_rmem)");
                continue;
            }
            var text = value.String(required: true);
            if (text is null) continue;
            if (!Sysctl.IsValidValue(text))
            {
                value.Error($"'{YamlView.Shorten(text)}' is not a sysctl value (numbers, words and spaces only)");
                continue;
            }
            var i = values.FindIndex(v => v.Key == key);
            if (i >= 0) values[i] = new(key, text);
            else values.Add(new(key, text));
        }
        return profile with { Name = node.Exists ? profile.Name + "+stack" : profile.Name, Sysctls = values };
    }

    static readonly string[] CoalesceParams =
    [
        "rx-usecs", "rx-frames", "rx-usecs-irq", "rx-frames-irq", "tx-usecs", "tx-frames", "tx-usecs-irq", "tx-frames-irq",
        "stats-block-usecs", "pkt-rate-low", "pkt-rate-high", "sample-interval",
    ];

    static NicOptions ReadNic(NicOptions profile, YamlView node)
    {
        node.AllowOnly("coalesce", "offload");
        var coalesce = profile.Coalesce.ToList();
        foreach (var (param, value) in node["coalesce"].Entries())
        {
            if (!CoalesceParams.Contains(param))
            {
                value.Error($"is not an ethtool -C parameter (one of: {string.Join(", ", CoalesceParams)})");
                continue;
            }
            if (value.Int(0, 10_000_000, required: true) is not { } n) continue;
            coalesce.RemoveAll(c => c.Param == param);
            coalesce.Add(new Coalesce(param, n, BestEffort: false));
        }
        var offload = profile.Offload.ToList();
        foreach (var (feature, value) in node["offload"].Entries())
        {
            if (!NicOffload.Features.ContainsKey(feature))
            {
                value.Error($"is not an ethtool -K feature (one of: {string.Join(", ", NicOffload.Features.Keys)})");
                continue;
            }
            if (value.Bool() is not { } on) continue;
            offload.RemoveAll(o => o.Key == feature);
            offload.Add(new(feature, on));
        }
        return new NicOptions(coalesce, offload);
    }

    static IpsecSettings? ReadIpsec(YamlView node, SecretValues secrets)
    {
        node.AllowOnly("mode", "proto", "suite", "replay-window", "keys", "spi", "ah-spi", "reqid", "key", "keying", "ike");
        var mode = node["mode"].OneOf("tunnel", "tunnel", "transport") is { } m ? IpsecNames.ParseMode(m) : null;
        var proto = node["proto"].OneOf("none", "none", "ah", "esp", "esp+ah") is { } p ? IpsecNames.ParseProto(p) : null;

        CipherSuite? suite = null;
        var suiteName = node["suite"].String(required: proto is not null and not IpsecProto.None);
        if (suiteName is not null)
        {
            suite = CipherSuites.Find(suiteName);
            if (suite is null)
                node["suite"].Error($"unknown suite '{YamlView.Shorten(suiteName)}' (known: {string.Join(", ", CipherSuites.All.Select(s => s.Name))})");
        }
        Protection? protection = null;
        if (proto is IpsecProto.None) protection = Protection.Plain;
        else if (proto is { } pr && suite is not null)
        {
            protection = new Protection(pr, suite);
            if (protection.Problem is { } problem)
            {
                node["suite"].Error(problem);
                protection = null;
            }
        }

        // Without ESN the kernel keeps a 32-packet replay bitmap and silently caps larger windows.
        var replay = node["replay-window"].Exists ? node["replay-window"].Int(0, 32) : 32;
        var keys = node["keys"].OneOf("generate", "generate", "stack") == "stack" ? KeySource.Stack : KeySource.Generate;
        var spis = ReadSpis(node, proto);
        var keying = node["keying"].OneOf("manual", "manual", "ikev2") is { } k ? (k == "ikev2" ? Keying.Ikev2 : Keying.Manual) : (Keying?)null;
        // The IKE daemon derives the SA keys; only the pre-shared key (ipsec.ike.psk) is the stack's to give.
        if (keying == Keying.Ikev2 && node["key"].Exists) node["key"].Error("the IKE daemon derives the SA keys; remove this with keying: ikev2 (the pre-shared key is ipsec.ike.psk)");
        var stackKeys = keying == Keying.Ikev2 ? new Dictionary<string, Secret>() : ReadKeys(node["key"], keys, protection, secrets);
        var (ike, psk) = ReadIke(node, keying, protection, keys, secrets);

        if (mode is null || protection is null || replay is null || spis is null || stackKeys is null || keying is null || ike is null) return null;
        if (psk is not null) stackKeys = new Dictionary<string, Secret>(stackKeys) { [IkeSettings.PskSlot] = psk };
        return new IpsecSettings(mode.Value, protection, replay.Value, spis, keys, stackKeys) { Keying = keying.Value, Ike = ike };
    }

    /// <summary>
    /// <c>ipsec.ike</c>: the IKE proposal, lifetimes and dead peer detection, as swanctl.conf names them; with
    /// <c>keys: stack</c> also the pre-shared key, a secret value. Refuses what strongSwan cannot key before any host is touched.
    /// </summary>
    static (IkeSettings? Ike, Secret? Psk) ReadIke(YamlView ipsec, Keying? keying, Protection? protection, KeySource keys, SecretValues secrets)
    {
        var node = ipsec["ike"];
        if (keying != Keying.Ikev2)
        {
            if (node.Exists) node.Error("is only read with keying: ikev2");
            return (IkeSettings.Default, null);
        }
        var ok = true;
        void Refuse(YamlView at, string why) { at.Error(why); ok = false; }
        foreach (var manualOnly in new[] { "spi", "ah-spi", "reqid" })
            if (ipsec[manualOnly].Exists) Refuse(ipsec[manualOnly], "the IKE daemon chooses SPIs and reqids; remove this with keying: ikev2");
        if (protection is not null && IkeProposals.Problem(protection) is { } problem) Refuse(ipsec["proto"], problem);

        node.AllowOnly("proposal", "ike-rekey-time", "rekey-time", "life-time", "rand-time", "dpd-delay", "psk");
        var d = IkeSettings.Default;
        var proposal = node["proposal"].String() ?? d.Proposal;
        if (!IkeProposalPattern().IsMatch(proposal))
            Refuse(node["proposal"], $"'{YamlView.Shorten(proposal)}' is not an IKE proposal such as aes128-sha256-modp2048 (algorithm keywords joined by '-')");
        var (second, year) = (TimeSpan.FromSeconds(1), TimeSpan.FromDays(365));
        var ikeRekey = node["ike-rekey-time"].Duration(d.IkeRekeyTime, TimeSpan.FromSeconds(10), year);
        var rekey = node["rekey-time"].Duration(d.RekeyTime, TimeSpan.FromSeconds(5), year);
        // Unless declared, life and rand follow the rekey time as strongSwan derives them (life 110 %, rand the 10 %
        // between), but an SA outlives its rekey by at least MinRekeyMargin: with 15 s rekeys and strongSwan's 1-2 s
        // margin the old SA expired before the new one carried the stream on the loaded local testbed, dropping 11-168
        // packets for an unknown SPI in 4 of 13 one-minute streams; with 10 s, none in 7.
        var life = node["life-time"].Duration(rekey is { } r ? r + Max(r * 0.1, IkeSettings.MinRekeyMargin) : d.LifeTime, second, year);
        var rand = node["rand-time"].Duration(rekey is { } r2 ? r2 * 0.1 : d.RandTime, TimeSpan.Zero, year);
        var dpd = node["dpd-delay"].Duration(d.DpdDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        if (rekey is not null && life is not null && life <= rekey)
            Refuse(node["life-time"], $"must be longer than rekey-time ({IkeSettings.Time(rekey.Value)}): a child SA would expire before it is rekeyed");
        if (rekey is not null && rand is not null && rand >= rekey)
            Refuse(node["rand-time"], $"must be shorter than rekey-time ({IkeSettings.Time(rekey.Value)})");

        var psk = node["psk"];
        Secret? stackPsk = null;
        if (keys == KeySource.Generate && psk.Exists)
            Refuse(psk, "keys are generated (ipsec.keys: generate), the pre-shared key too; set ipsec.keys: stack to use this one");
        else if (keys == KeySource.Stack)
        {
            if (!psk.Exists) Refuse(psk, $"is missing: keys: stack needs the pre-shared key as a secret value (testbed config set --secret {psk.Path.Split(':').Last()} 0x…)");
            else if (psk["secure"].String() is not { } cipherText || psk.Node is not YamlDotNet.RepresentationModel.YamlMappingNode)
                Refuse(psk, "must be a secret value ({secure: v1:…}); set it with: testbed config set --secret " + psk.Path.Split(':').Last() + " 0x…");
            else if (secrets.Open(psk, cipherText) is not { } plain) ok = false;
            else
            {
                if (Secret.FromHex(plain.Trim()) is not { Bits: >= 128 } key) Refuse(psk, "the pre-shared key must be hex (0x…) of at least 128 bits");
                else stackPsk = key;
            }
        }
        if (!ok || ikeRekey is null || rekey is null || life is null || rand is null || dpd is null) return (null, null);
        return (new IkeSettings(proposal, ikeRekey.Value, rekey.Value, life.Value, rand.Value, dpd.Value), stackPsk);
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9_]+(-[a-z0-9_]+)+$")]
    private static partial System.Text.RegularExpressions.Regex IkeProposalPattern();

    static SpiTable? ReadSpis(YamlView node, IpsecProto? proto)
    {
        var d = SpiTable.Default;
        uint? Flow(string key, string flow, uint fallback, uint min)
        {
            var n = node[key];
            n.AllowOnly("forward", "reverse");
            return n[flow].Exists ? n[flow].UInt32(min) : fallback;
        }
        var plan = new
        {
            Fs = Flow("spi", "forward", d.ForwardSpi, 256), Rs = Flow("spi", "reverse", d.ReverseSpi, 256),
            Fa = Flow("ah-spi", "forward", d.ForwardAhSpi, 256), Ra = Flow("ah-spi", "reverse", d.ReverseAhSpi, 256),
            Fr = Flow("reqid", "forward", d.ForwardReqid, 1), Rr = Flow("reqid", "reverse", d.ReverseReqid, 1),
        };
        if (plan.Fs is null || plan.Rs is null || plan.Fa is null || plan.Ra is null || plan.Fr is null || plan.Rr is null) return null;

        // Only the SPIs the stack's protocol uses can clash; AH's own pair matters only in an esp+ah bundle.
        var used = new List<(string Key, string Flow, uint Spi)> { ("spi", "forward", plan.Fs.Value), ("spi", "reverse", plan.Rs.Value) };
        if (proto == IpsecProto.EspAh) used.AddRange([("ah-spi", "forward", plan.Fa.Value), ("ah-spi", "reverse", plan.Ra.Value)]);
        var ok = true;
        foreach (var group in used.GroupBy(s => s.Spi).Where(g => g.Count() > 1))
        {
            // Name a key the user wrote (a default has no line to point at), and the others it collides with.
            var written = group.Where(s => node[s.Key][s.Flow].Exists).ToList();
            var blamed = written.Count > 0 ? written[^1] : group.Last();
            var others = group.Where(s => s != blamed).Select(s => $"{s.Key}.{s.Flow}" + (node[s.Key][s.Flow].Exists ? "" : " (default)"));
            node[blamed.Key][blamed.Flow].Error($"duplicate SPI {XfrmText.Hex(group.Key)}: also used by {string.Join(", ", others)}");
            ok = false;
        }
        if (plan.Fr == plan.Rr)
        {
            node["reqid"][node["reqid"]["reverse"].Exists ? "reverse" : "forward"].Error($"reqid {plan.Rr} is used by both directions; each needs its own");
            ok = false;
        }
        return ok ? new SpiTable(plan.Fs.Value, plan.Rs.Value, plan.Fa.Value, plan.Ra.Value, plan.Fr.Value, plan.Rr.Value) : null;
    }

    /// <summary>
    /// Keys given in the stack: each must be a secret value, hex, and exactly as long as its algorithm wants.
    /// </summary>
    static IReadOnlyDictionary<string, Secret>? ReadKeys(YamlView node, KeySource source, Protection? protection, SecretValues secrets)
    {
        var keys = new Dictionary<string, Secret>();
        if (source == KeySource.Generate)
        {
            if (node.Exists) node.Error("keys are generated (ipsec.keys: generate); set ipsec.keys: stack to use these");
            return keys;
        }
        node.AllowOnly("forward", "reverse");
        if (protection is null) return keys;
        var suite = protection.Suite;
        var needed = new Dictionary<string, Algorithm?>
        {
            ["enc"] = suite?.Enc,
            ["auth"] = suite?.Auth,
            ["aead"] = suite?.Aead,
        };
        var ok = true;
        foreach (var flow in new[] { "forward", "reverse" })
        {
            var f = node[flow];
            f.AllowOnly("enc", "auth", "aead");
            foreach (var (use, alg) in needed)
            {
                var k = f[use];
                if (alg is null)
                {
                    if (k.Exists) { k.Error($"suite {suite?.Name ?? "(none)"} has no {use} algorithm; remove this key"); ok = false; }
                    continue;
                }
                if (!k.Exists) { k.Error($"is missing: {protection.Name} needs a {alg.KeyBits}-bit {use} key here (or set ipsec.keys: generate)"); ok = false; continue; }
                var cipherText = k["secure"].String();
                if (cipherText is null || k.Node is not YamlDotNet.RepresentationModel.YamlMappingNode)
                {
                    k.Error("must be a secret value ({secure: v1:…}); set it with: testbed config set --secret " + k.Path.Split(':').Last() + " 0x…");
                    ok = false;
                    continue;
                }
                var plain = secrets.Open(k, cipherText);
                if (plain is null) { ok = false; continue; }
                var secret = Secret.FromHex(plain.Trim());
                if (secret is null) { k.Error("the secret is not a hex key (0x followed by hex digits)"); ok = false; continue; }
                if (secret.Bits != alg.KeyBits)
                {
                    k.Error($"{alg.Name} needs a {alg.KeyBits}-bit key; this one has {secret.Bits} bits");
                    ok = false;
                    continue;
                }
                keys[$"{flow}.{use}"] = secret;
            }
        }
        return ok ? keys : null;
    }
}
