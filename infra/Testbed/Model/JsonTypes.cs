using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Testbed.Model;

/// <summary>
/// The serializer's contract for a type under given options. Every options object of the tool resolves types from
/// source-generated contexts (<see cref="System.Text.Json.Serialization.JsonSerializerContext"/>), never by reflection,
/// so that a Native AOT build and a JIT build read and write the same JSON; serializing through the contract (not
/// through the options, which the trim analysis cannot follow) says so to the compiler. A type that no context of the
/// options lists fails here, in every build, with the serializer's own message naming it.
/// </summary>
public static class JsonTypes
{
    public static JsonTypeInfo<T> Of<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
