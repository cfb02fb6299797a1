using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Testbed.Providers;

/// <summary>
/// What a provider is given by the engine: the stack it serves, a folder of its own, the pins of the hosts' SSH
/// keys, its own record in the stack's state, and where to report progress.
/// </summary>
/// <param name="Folder">The provider's own files (keys it makes, guest seeds, consoles), inside the stack's 0700 folder.</param>
/// <param name="KnownHosts">The stack's pinned host keys (the engine's file): a provider that makes host keys pins them here.</param>
public sealed record ProviderContext(string Project, string Stack, string Folder, string KnownHosts, IProviderState State, Action<string> Progress);

/// <summary>
/// The provider's own record inside the stack's state file: what it made, so that destroy can take it all away.
/// Every <see cref="Save"/> is a checkpoint, written to disk before it returns. The record is JSON as
/// its contract says: the provider's own type's, from <see cref="ProviderJson.TypeInfo"/>.
/// </summary>
public interface IProviderState
{
    T? Load<T>(JsonTypeInfo<T> type) where T : class;

    void Save<T>(T? value, JsonTypeInfo<T> type) where T : class;
}

/// <summary>A provider state kept in memory only: for tests and for a provider opened to look, not to change.</summary>
public sealed class MemoryProviderState : IProviderState
{
    JsonElement? _data;

    public T? Load<T>(JsonTypeInfo<T> type) where T : class => _data is { } d ? d.Deserialize(type) : null;

    public void Save<T>(T? value, JsonTypeInfo<T> type) where T : class =>
        _data = value is null ? null : JsonSerializer.SerializeToElement(value, type);
}

/// <summary>How a provider's record is written inside the state file: camelCase, by the provider's own compiled-in contract.</summary>
public static class ProviderJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The contract of a provider's record type under <see cref="Options"/>, from the provider's source-generated context.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(IJsonTypeInfoResolver context) =>
        (JsonTypeInfo<T>)new JsonSerializerOptions(Options) { TypeInfoResolver = context }.GetTypeInfo(typeof(T));
}
