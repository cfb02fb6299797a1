using System.Collections;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Cli.Verbs;
using Testbed.Engine;
using Testbed.Local;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Tests.Support;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests;

/// <summary>
/// Every file and JSON output of the tool is written through source-generated contracts (a context per layer, wired
/// into the options each file always had), so that a Native AOT build writes what a JIT build writes. These tests
/// hold the contracts to what the serializer's reflection wrote with the options as they were before the contexts:
/// byte for byte, and read back to the same values.
/// </summary>
public class JsonContractTests
{
    // The options as they were, resolving by reflection: what the files looked like.
    static readonly JsonSerializerOptions WasData = Reflecting(new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    });
    static readonly JsonSerializerOptions WasResults = new(WasData) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };
    static readonly JsonSerializerOptions WasLine = new(WasResults) { WriteIndented = false };
    static readonly JsonSerializerOptions WasMatrix = new(WasData) { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };
    static readonly JsonSerializerOptions WasState = Reflecting(new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
    static readonly JsonSerializerOptions WasKeys = Reflecting(new() { WriteIndented = true });
    static readonly JsonSerializerOptions WasProvider = Reflecting(new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    static JsonSerializerOptions Reflecting(JsonSerializerOptions o)
    {
        o.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        return o;
    }

    static string Now<T>(T value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, JsonTypes.Of<T>(options));

    static string Was<T>(T value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, options);

    /// <summary>Written as before, and what is written reads back to what reflection reads from it.</summary>
    static void SameAsBefore<T>(T value, JsonSerializerOptions now, JsonSerializerOptions was)
    {
        var text = Now(value, now);
        text.Should().Be(Was(value, was));
        Was(JsonSerializer.Deserialize(text, JsonTypes.Of<T>(now)), was).Should().Be(Was(JsonSerializer.Deserialize<T>(text, was), was));
    }

    static LocalState Local() => new()
    {
        Namespace = "ipsec-testbed-test",
        Image = "/var/cache/ipsec-testbed/guest-0123",
        Guests =
        {
            ["gw-a"] = new GuestRecord { Umid = "ipsec-testbed-test-gw-a", SshPort = 40001, Mtu = 1500, BootedAt = DateTimeOffset.Parse("2026-12-03T10:00:00.1234567+00:00") },
            ["gw-b"] = new GuestRecord { Umid = "ipsec-testbed-test-gw-b", SshPort = 40002, Mtu = 9000, BootedAt = DateTimeOffset.Parse("2026-12-03T10:00:01Z") },
        },
    };

    /// <summary>A state as `up` leaves it: every kind of setting, the values found and applied, the provider's record.</summary>
    static StackState State()
    {
        var resources = GatewayTestbed.Declare(Specs.Testbed(IpsecMode.Tunnel, Specs.P("esp+ah-aes256-sha1")), new FakeKeyring(), []);
        var state = new StackState
        {
            Project = "ipsec-testbed", Stack = "test", LastUp = DateTimeOffset.Parse("2026-12-03T10:10:05.6726894+00:00"),
            Hosts = { ["gw-a"] = new HostRecord { Endpoint = "root@127.0.0.1:46865", BootId = "4f86d033" }, ["gw-b"] = new HostRecord() },
            Provider = new ProviderRecord { Kind = "local", Data = JsonSerializer.SerializeToElement(Local(), LocalState.Json) },
        };
        var i = 0;
        foreach (var r in resources)
        {
            var status = i++ % 3 == 0 ? RecordStatus.Pending : RecordStatus.Applied;
            var original = i % 4 == 0 ? null : Fields.Of(("value", "4096 → 87380 <-> \"quoted\" \\ é"), ("null", null!));
            var record = ResourceRecord.For(r.Id, original, r.Desired, status);
            record.Updated = DateTimeOffset.Parse("2026-12-03T10:10:04Z");
            if (i % 5 == 0) record.Settled = Fields.Of(("tx-usecs", "10000"));
            state.Resources.Add(record);
        }
        return state;
    }

    [Test]
    public void The_state_file_is_written_as_before()
    {
        SameAsBefore(State(), StateStore.Json, WasState);
        SameAsBefore(State().Resources[0], StateStore.Json, WasState);
        SameAsBefore(Fields.Of(("a", "1"), ("b", "→")), StateStore.Json, WasState);
    }

    [Test]
    public void The_state_file_round_trips_through_the_store_byte_for_byte()
    {
        using var dir = new TempDir();
        var paths = new StackPaths(Path.Combine(dir.Path, "stack"));
        var store = new StateStore(paths);
        store.Save(State());
        var first = File.ReadAllText(paths.State);
        store.Save(store.Load("ipsec-testbed", "test"));
        File.ReadAllText(paths.State).Should().Be(first);
        first.Should().Be(global::Testbed.Secrets.Redactor.Redact(Was(State(), WasState)));
    }

    [Test]
    public void A_state_file_of_an_older_tool_still_moves_its_local_record()
    {
        var text = Was(new StackState { Project = "p", Stack = "s" }, WasState).Replace("\"resources\": []", "\"resources\": [],\n  \"local\": " + Was(Local(), WasProvider));
        using var dir = new TempDir();
        var paths = new StackPaths(Path.Combine(dir.Path, "stack"));
        paths.Ensure();
        File.WriteAllText(paths.State, text);
        var state = new StateStore(paths).Load("p", "s");
        state.Provider!.Kind.Should().Be("local");
        Was(state.ProviderData(LocalState.Json), WasProvider).Should().Be(Was(Local(), WasProvider));
    }

    [Test]
    public void The_providers_record_is_written_as_before()
    {
        SameAsBefore(Local(), LocalState.Json.Options, WasProvider);
        var view = new MemoryProviderState();
        view.Save(Local(), LocalState.Json);
        Was(view.Load(LocalState.Json), WasProvider).Should().Be(Was(Local(), WasProvider));
    }

    [Test]
    public void The_keys_file_is_written_as_before()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "keys.json");
        var keys = new GeneratedKeys(file, Path.Combine(dir.Path, "data.key"));
        foreach (var (slot, bits) in new[] { ("forward/esp/enc", 128), ("reverse/esp/enc", 256), ("forward/ah/auth", 160) })
            keys.Key(slot, new Algorithm("cbc(aes)", bits));
        keys.Save();
        var text = File.ReadAllText(file);
        var sealedKeys = JsonSerializer.Deserialize<Dictionary<string, string>>(text, WasKeys)!;
        sealedKeys.Should().HaveCount(3);
        text.Should().Be(Was(sealedKeys, WasKeys), "base64 with '+' and '/' escaped as the serializer's default encoder does");
        new GeneratedKeys(file, Path.Combine(dir.Path, "data.key")).Key("forward/esp/enc", new Algorithm("cbc(aes)", 128)).RevealHex()
            .Should().Be(keys.Key("forward/esp/enc", new Algorithm("cbc(aes)", 128)).RevealHex());
    }

    static StatusVerb.Report Report() => new("ipsec-testbed", "test", "local", DateTimeOffset.Parse("2026-12-03T10:10:05.6726894+00:00"),
        new Dictionary<string, string> { ["wire"] = "wire-a <-> wire-b (veth, in ipsec-testbed-test)", ["gw-a console"] = "/root/x" },
        [new StatusVerb.HostStatus("gw-a", "sender", "root@127.0.0.1:46865", true, "4f86", "vec0", "192.0.2.1/24", "10.1.0.0/24"),
         new StatusVerb.HostStatus("gw-b", "receiver", null, false, null, "vec0", "192.0.2.2/24", "10.2.0.0/24")],
        [new StatusVerb.SettingStatus("gw-a", "sysctl", "net.ipv4.tcp_sack", RecordStatus.Applied, "0", "1", "1", false),
         new StatusVerb.SettingStatus("gw-a", "ethtool-coalesce", "vec0", RecordStatus.Pending, "(absent)", "64 (driver: 10000)", null, true)]);

    [Test]
    public void Status_json_is_written_as_before() => SameAsBefore(Report(), StatusVerb.Json, WasState);

    static RunResults Run()
    {
        var info = new RunInfo("local", "local", "quick", "local", DateTimeOffset.Parse("2026-11-26T00:00:00Z"), "vm", "6.18", 2, "10.0", "0.1.0",
            [new GatewayVersions("gw-a", "gw-a", "6.1.176", "x86_64", "Netperf version 2.7.0", "ip utility, iproute2-6.1.0", 1)]);
        var plain = Result(Cell("plain"), 1000, null);
        var esp = Result(Cell("esp-aes128-sha1"), 252.2, 38.6) with
        {
            RatioToPlain = new Estimate(0.2522, 0.2),
            Sas = [new SaDelta("gw-a", "esp spi 0x00001001 192.0.2.1>192.0.2.2", "192.0.2.1", "192.0.2.2", "esp", 0x1001, 396_000_000, 280_000, 0, 0)],
        };
        var nan = Result(Cell("esp-3des"), double.NaN, double.PositiveInfinity);
        return new RunResults(info, [plain, esp, nan]);
    }

    [Test]
    public void Run_results_and_baselines_are_written_as_before()
    {
        SameAsBefore(Run(), ResultFiles.Json, WasResults);
        var m = MetricBaseline.Of([[0.5, 0.55], [0.45, 0.5]])!;
        var entries = new List<BaselineEntry>
        {
            new("esp-aes128-sha1", "tunnel", 16384, 1500, "quick", m, m, m, CpuSources.HostUmlProcesses, 2, DateTimeOffset.Parse("2026-12-03T10:00:00Z")),
            new("plain", "tunnel", 16384, 1500, "quick", m, null, m, CpuSources.HostUmlProcesses, 2, DateTimeOffset.Parse("2026-12-03T10:00:00Z")),
        };
        var reference = new ReferenceDeclaration("unshaped", 1500, "tuned", [new("net.ipv4.tcp_wmem", "87380 4194304 4194304")], [new("tx-usecs", 64)],
            [new("gro", true), new("tso", false)]);
        SameAsBefore(new BaselineFile(BaselineFile.CurrentVersion, "local", "vm, 2026-12-03", reference, entries), DataJson.Options, WasData);
        SameAsBefore(new BaselineFile(BaselineFile.CurrentVersion, "local", "vm", null, []), DataJson.Options, WasData);
    }

    static BenchData Bench() => Data(Matrix(Throughput(["plain", "esp-aes128-sha1"], [1024, 16384]), MtuSweep(["plain"], [1500, 9000], max: true),
            Ablation(["esp-aes128"]), Modes(["ah-md5"]) with { Description = "modes" }),
        [Ok(Cell("plain", 1024), 900), Ok(Cell("esp-aes128-sha1", 1024), 300, null), Failed(Cell("plain", 16384), "netperf: \"timeout\" → 30 s")]);

    [Test]
    public void Bench_files_are_written_as_before()
    {
        SameAsBefore(BenchFiles.ToFile(Bench()), BenchJson.Results, WasResults);
        foreach (var r in Bench().Cells.Select(c => c.Record).OfType<BenchRecord>()) SameAsBefore(r, BenchJson.Line, WasLine);
        SameAsBefore(Session(), BenchJson.Line, WasLine);
        SameAsBefore(Session() with { Note = "resumed" }, BenchJson.Line, WasLine);
    }

    [Test]
    public void The_results_store_writes_lines_as_before()
    {
        using var dir = new TempDir();
        var store = new ResultsStore(dir.Path);
        store.Append(Ok(Cell("plain"), 900));
        store.Append(Session());
        File.ReadAllText(store.CellsFile).Should().Be(Was(Ok(Cell("plain"), 900), WasLine) + "\n");
        File.ReadAllText(store.SessionsFile).Should().Be(Was(Session(), WasLine) + "\n");
        store.Records().Should().ContainSingle();
        store.Sessions().Should().ContainSingle();
    }

    [TestCaseSource(typeof(BenchMatrix), nameof(BenchMatrix.BuiltIn))]
    public void Built_in_matrices_read_as_before(string name)
    {
        var (text, source) = BenchMatrix.Source(name);
        var now = BenchMatrix.Parse(text, source);
        Was(now, WasData).Should().Be(Was(JsonSerializer.Deserialize<BenchMatrix>(text, WasMatrix), WasData));
        Now(now, BenchJson.Matrix).Should().Be(Was(now, WasData));
    }

    [Test]
    public void A_matrix_missing_a_key_or_holding_a_null_is_refused_as_before()
    {
        var (text, _) = BenchMatrix.Source("quick");
        foreach (var broken in new[] { text.Replace("\"seconds\"", "\"secondz\""), System.Text.RegularExpressions.Regex.Replace(text, "\"description\": \"[^\"]*\"", "\"description\": null") })
        {
            FluentActions.Invoking(() => JsonSerializer.Deserialize<BenchMatrix>(broken, WasMatrix)).Should().Throw<JsonException>();
            FluentActions.Invoking(() => BenchMatrix.Parse(broken, "m.json")).Should().Throw<InvalidDataException>().WithMessage("m.json: *");
        }
    }

    /// <summary>The types each options object is for, as the tool uses them.</summary>
    static IEnumerable<TestCaseData> Files()
    {
        yield return new TestCaseData(StateStore.Json, new[] { typeof(StackState) }).SetName("state file");
        yield return new TestCaseData(StatusVerb.Json, new[] { typeof(StatusVerb.Report) }).SetName("status --json");
        yield return new TestCaseData(DataJson.Options, new[] { typeof(BaselineFile), typeof(RunResults) }).SetName("data files");
        yield return new TestCaseData(ResultFiles.Json, new[] { typeof(RunResults) }).SetName("run results");
        yield return new TestCaseData(BenchJson.Results, new[] { typeof(BenchResultsFile), typeof(BenchRecord), typeof(BenchSession) }).SetName("bench results");
        yield return new TestCaseData(BenchJson.Line, new[] { typeof(BenchRecord), typeof(BenchSession) }).SetName("bench lines");
        yield return new TestCaseData(BenchJson.Matrix, new[] { typeof(BenchMatrix) }).SetName("bench matrix");
        yield return new TestCaseData(LocalState.Json.Options, new[] { typeof(LocalState) }).SetName("local provider record");
    }

    /// <summary>
    /// Every type a file holds is compiled in, and every enum in it is written by name, as the enum converter of the
    /// options wrote every enum before: a new enum in a file needs its converter (<see cref="DataJson.NamedEnum{T}"/>).
    /// </summary>
    [TestCaseSource(nameof(Files))]
    public void Every_type_a_file_holds_is_compiled_in_and_every_enum_written_by_name(JsonSerializerOptions options, Type[] roots)
    {
        foreach (var type in roots.SelectMany(Graph).Distinct())
        {
            var info = options.GetTypeInfo(type);
            info.Should().NotBeNull(type.Name);
            if (!type.IsEnum) continue;
            foreach (var value in Enum.GetValues(type))
                JsonSerializer.Serialize(value, info).Should().StartWith("\"", $"{type.Name}.{value} is written by name");
        }
    }

    [Test]
    public void The_options_resolve_nothing_by_reflection()
    {
        foreach (var options in Files().Select(f => (JsonSerializerOptions)f.Arguments[0]!))
            FluentActions.Invoking(() => options.GetTypeInfo(typeof(Unlisted))).Should().Throw<NotSupportedException>();
    }

    sealed record Unlisted(string Name);

    /// <summary>The types reachable from a type through its serialized properties (and constructor parameters), collections included.</summary>
    static IEnumerable<Type> Graph(Type root)
    {
        var seen = new HashSet<Type>();
        var todo = new Stack<Type>([root]);
        while (todo.TryPop(out var t))
        {
            t = Nullable.GetUnderlyingType(t) ?? t;
            if (!seen.Add(t) || t.IsPrimitive || t == typeof(string) || t == typeof(JsonElement)) continue;
            if (t.IsArray) { todo.Push(t.GetElementType()!); continue; }
            if (t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t)) { foreach (var a in t.GetGenericArguments()) todo.Push(a); continue; }
            if (t.Namespace?.StartsWith("Testbed", StringComparison.Ordinal) != true || t.GetCustomAttribute<JsonConverterAttribute>() is not null) continue;
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonConverterAttribute>() is null)
                    todo.Push(p.PropertyType);
        }
        return seen;
    }

    /// <summary>The converter writes by hand what it once had the serializer write: the pairs as string arrays.</summary>
    [Test]
    public void Fields_are_written_and_read_as_the_serializer_did()
    {
        var fields = Fields.Of(("a", "1"), ("k", null!), ("b", "→ <-> \"x\" \\ \u0001"));
        Now(fields, StateStore.Json).Should().Be(Was(fields.Items.Select(i => new[] { i.Key, i.Value }).ToList(), WasState));
        Now(fields, new JsonSerializerOptions(StateStore.Json) { WriteIndented = false })
            .Should().Be(Was(fields.Items.Select(i => new[] { i.Key, i.Value }).ToList(), new JsonSerializerOptions(WasState) { WriteIndented = false }));
        Now(new StackState { Resources = [ResourceRecord.For(new Sysctl { Host = "gw-a", Key = "k", Value = "1" }.Id, fields)] }, StateStore.Json)
            .Should().Contain("""
                      "original": [
                        [
                          "a",
                          "1"
                        ],
                        [
                          "k",
                          null
                        ],
                """.Replace("\r", ""));

        const string text = """[["a","1"],null,["short"],["k",null],["x","y","z"],["b","→"]]""";
        var now = JsonSerializer.Deserialize(text, JsonTypes.Of<Fields>(StateStore.Json))!;
        var was = JsonSerializer.Deserialize<List<string[]>>(text, WasState)!.Where(p => p?.Length == 2).Select(p => KeyValuePair.Create(p[0], p[1]));
        now.Items.Should().Equal(was);
        now.Items.Select(i => i.Key).Should().Equal("a", "k", "b");
        FluentActions.Invoking(() => JsonSerializer.Deserialize(text.Replace("\"1\"", "1"), JsonTypes.Of<Fields>(StateStore.Json))).Should().Throw<JsonException>();
        FluentActions.Invoking(() => JsonSerializer.Deserialize("{}", JsonTypes.Of<Fields>(StateStore.Json))).Should().Throw<JsonException>();
    }
}
