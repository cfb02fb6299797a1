using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Testbed.Model;
using Testbed.Resources;

namespace Testbed.Engine;

/// <summary>Where a managed setting stands: a command sent but not confirmed (a run killed between the two), or applied.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordStatus>))]
public enum RecordStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("applied")] Applied,
}

/// <summary>What the tool remembers of one setting it manages.</summary>
public sealed class ResourceRecord
{
    public required string Urn { get; init; }
    public required string Host { get; init; }
    public required ResourceKind Kind { get; init; }
    public required Dictionary<string, string> Identity { get; init; }

    /// <summary>The live value read before the first change; what destroy puts back. Null: the setting was absent.</summary>
    public Fields? Original { get; set; }

    /// <summary>The value last applied (keys as fingerprints).</summary>
    public Fields? Applied { get; set; }

    /// <summary>What the host reported after applying, when its driver rounds values (coalescing in jiffies).</summary>
    public Fields? Settled { get; set; }

    /// <summary><c>pending</c> from just before a command is sent until it is confirmed, then <c>applied</c>.</summary>
    public RecordStatus Status { get; set; } = RecordStatus.Pending;

    public DateTimeOffset Updated { get; set; }

    /// <summary>A new record of a setting, with the value found on the host before the first change.</summary>
    public static ResourceRecord For(ResourceId id, Fields? original, Fields? applied = null, RecordStatus status = RecordStatus.Pending) => new()
    {
        Urn = id.Urn, Host = id.Host, Kind = id.Kind, Identity = new Dictionary<string, string>(id.Identity),
        Original = original, Applied = applied, Status = status, Updated = DateTimeOffset.UtcNow,
    };

    /// <summary>The setting's identity rebuilt from this record, to read and restore it once the stack no longer declares it.</summary>
    public ResourceId Rehydrate() => ResourceCatalog.Rehydrate(Host, Kind, Identity);
}

/// <summary>What a provider keeps in the stack's state, as its own JSON: the engine stores it and reads nothing in it.</summary>
public sealed class ProviderRecord
{
    public string Kind { get; set; } = "";
    public JsonElement? Data { get; set; }
}

public sealed class HostRecord
{
    public string? Endpoint { get; set; }
    public string? BootId { get; set; }
}

/// <summary>The state checkpoint of one stack. Holds no key material: SA keys appear only as fingerprints.</summary>
public sealed class StackState
{
    public int Version { get; set; } = 1;
    public string Project { get; set; } = "";
    public string Stack { get; set; } = "";
    public DateTimeOffset? LastUp { get; set; }
    public Dictionary<string, HostRecord> Hosts { get; set; } = [];
    public List<ResourceRecord> Resources { get; set; } = [];

    /// <summary>The provider's own record (the local testbed: namespace, guests, forwards); null when it keeps none.</summary>
    public ProviderRecord? Provider { get; set; }

    /// <summary>
    /// Where state files written before providers kept their own record held the local testbed's; read once and moved
    /// to <see cref="Provider"/> on load, never written.
    /// </summary>
    [JsonPropertyName("local")]
    public JsonElement? LegacyLocal { get; set; }

    /// <summary>The provider's record as its own type, for readers outside the provider (tests, tools): <paramref name="type"/> is the provider's (<c>LocalState.Json</c>).</summary>
    public T? ProviderData<T>(JsonTypeInfo<T> type) where T : class => Provider?.Data?.Deserialize(type);

    public ResourceRecord? Find(string urn) => Resources.FirstOrDefault(r => r.Urn == urn);

    /// <summary>The records of settings that <paramref name="declared"/> no longer has: to be put back as found.</summary>
    public IEnumerable<ResourceRecord> Orphans(IEnumerable<ResourceId> declared)
    {
        var urns = declared.Select(id => id.Urn).ToHashSet();
        return Resources.Where(r => !urns.Contains(r.Urn));
    }
}

/// <summary>Loads and saves the checkpoint, a 0600 file replaced whole (<see cref="Secrets.SecretFiles.WriteSecret"/>).</summary>
public sealed class StateStore(StackPaths paths)
{
    readonly object _gate = new();

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Readable "<->" and "→" in the files people open; nothing here goes into HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // The state file's types are compiled in (JsonTypes); status --json adds its own (StatusVerb.Json).
        TypeInfoResolver = StateJsonContext.Default,
    };

    static JsonTypeInfo<StackState> StateType => JsonTypes.Of<StackState>(Json);

    public StackState Load(string project, string stack)
    {
        if (!File.Exists(paths.State)) return new StackState { Project = project, Stack = stack };
        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllText(paths.State), StateType)
                        ?? new StackState { Project = project, Stack = stack };
            if (state.LegacyLocal is { } legacy)
            {
                state.Provider ??= new ProviderRecord { Kind = "local", Data = legacy };
                state.LegacyLocal = null;
            }
            return state;
        }
        catch (JsonException e)
        {
            // A converter's own message (an unknown kind) does not say where; System.Text.Json's do.
            var where = e.Path is { } path && !e.Message.Contains(path, StringComparison.Ordinal) ? $" at {path}" : "";
            throw new InvalidDataException($"the state file {paths.State} is damaged ({e.Message}{where}); it is left as it is for you to inspect", e);
        }
    }

    /// <summary>Changes the state and writes the checkpoint, as one step; safe from both hosts' apply loops at once.</summary>
    public void Update(StackState state, Action<StackState> change)
    {
        lock (_gate)
        {
            change(state);
            Save(state);
        }
    }

    public void Save(StackState state)
    {
        lock (_gate)
        {
            paths.Ensure();
            Secrets.SecretFiles.WriteSecret(paths.State, Secrets.Redactor.Redact(JsonSerializer.Serialize(state, StateType)));
        }
    }
}

/// <summary>
/// The engine's files, compiled in: the state file (with every type it holds, <see cref="ResourceRecord"/> and
/// <see cref="Fields"/> among them) and the generated keys. Only a resolver: the options that use it
/// (<see cref="StateStore.Json"/>, <see cref="GeneratedKeys"/>) say how the files look.
/// </summary>
[JsonSerializable(typeof(StackState))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
