using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Testbed.Providers;

namespace Testbed.Engine;

/// <summary>A provider's own record inside the stack's state file; every change is a checkpoint, an unchanged one costs nothing.</summary>
sealed class StateProviderRecord(StateStore store, StackState state, string kind) : IProviderState
{
    public T? Load<T>(JsonTypeInfo<T> type) where T : class =>
        state.Provider is { Data: { } data } p && p.Kind == kind ? data.Deserialize(type) : null;

    public void Save<T>(T? value, JsonTypeInfo<T> type) where T : class
    {
        var data = value is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(value, type);
        if (state.Provider?.Kind == kind && state.Provider.Data?.GetRawText() == data?.GetRawText()) return;
        store.Update(state, s => s.Provider = data is null ? null : new ProviderRecord { Kind = kind, Data = data });
    }
}
