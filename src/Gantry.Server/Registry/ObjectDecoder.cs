using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Decodes request JSON into the typed model and back, which drops what the schema does not know.
/// Unknown fields are found by walking the input along the model's serialization contract, and
/// reported as Kubernetes' strict decoding does (<c>unknown field "spec.bogus"</c>).
/// </summary>
public static class ObjectDecoder
{
    public static IKubernetesObject<V1ObjectMeta> Decode(ResourceType type, JsonObject input, FieldValidation validation, ICollection<string> warnings)
    {
        IKubernetesObject<V1ObjectMeta> typed;
        try
        {
            typed = (IKubernetesObject<V1ObjectMeta>)(JsonSerializer.Deserialize(input, type.ModelType, KubernetesJsonOptions.Value)
                ?? throw new JsonException("null object"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or InvalidCastException)
        {
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {ex.Message}");
        }

        if (validation != FieldValidation.Ignore)
        {
            var unknown = new List<string>();
            FindUnknown(input, KubernetesJsonOptions.Value.GetTypeInfo(type.ModelType), [], unknown);
            if (unknown.Count > 0)
            {
                if (validation == FieldValidation.Strict)
                {
                    var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
                    throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {list}");
                }

                foreach (var u in unknown)
                {
                    warnings.Add($"unknown field \"{u}\"");
                }
            }
        }

        return typed;
    }

    /// <summary>
    /// Decodes an object as the store holds it, which was checked when it was written: straight from its bytes, with
    /// no check for unknown fields.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> DecodeStored(ResourceType type, byte[] stored) =>
        (IKubernetesObject<V1ObjectMeta>)(JsonSerializer.Deserialize(stored, type.ModelType, KubernetesJsonOptions.Value)
            ?? throw new JsonException("null object"));

    public static JsonObject ToNode(IKubernetesObject<V1ObjectMeta> typed) =>
        JsonSerializer.SerializeToNode(typed, typed.GetType(), KubernetesJsonOptions.Value)!.AsObject();

    /// <summary>
    /// The members of <paramref name="input"/> that <paramref name="contract"/> has no property for, with their paths.
    /// What a converter of its own reads (quantities, int-or-string, times, raw objects) is a value, not looked into.
    /// The path is a stack of segments, spelled out only for a member that is reported: every member of every written
    /// object is walked, and nearly all are known.
    /// </summary>
    private static void FindUnknown(JsonNode? input, JsonTypeInfo contract, List<PathSegment> path, List<string> unknown)
    {
        switch (input)
        {
            case JsonObject inObj when contract.Kind == JsonTypeInfoKind.Object:
                var properties = PropertiesOf(contract);
                foreach (var (name, value) in inObj)
                {
                    if (!properties.TryGetValue(name, out var property))
                    {
                        if (value is not null)
                        {
                            path.Add(new PathSegment(name, 0));
                            unknown.Add(Spell(path));
                            path.RemoveAt(path.Count - 1);
                        }

                        continue;
                    }

                    path.Add(new PathSegment(name, 0));
                    FindUnknown(value, contract.Options.GetTypeInfo(property.PropertyType), path, unknown);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonObject inMap when contract.Kind == JsonTypeInfoKind.Dictionary && contract.ElementType is { } valueType:
                var values = contract.Options.GetTypeInfo(valueType);
                foreach (var (key, value) in inMap)
                {
                    path.Add(new PathSegment(key, 0));
                    FindUnknown(value, values, path, unknown);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray inArr when contract.Kind == JsonTypeInfoKind.Enumerable && contract.ElementType is { } elementType:
                var elements = contract.Options.GetTypeInfo(elementType);
                for (var i = 0; i < inArr.Count; i++)
                {
                    path.Add(new PathSegment(null, i));
                    FindUnknown(inArr[i], elements, path, unknown);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }
    }

    /// <summary>A member name, or (when <see cref="Name"/> is null) an index into an array.</summary>
    private readonly record struct PathSegment(string? Name, int Index);

    /// <summary>The path as Kubernetes' strict decoding spells it: <c>spec.containers[0].bogus</c>.</summary>
    private static string Spell(List<PathSegment> path)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.Name is null)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(segment.Name);
            }
        }

        return text.ToString();
    }

    private static readonly ConcurrentDictionary<JsonTypeInfo, Dictionary<string, JsonPropertyInfo>> Properties = new();

    private static Dictionary<string, JsonPropertyInfo> PropertiesOf(JsonTypeInfo contract) =>
        Properties.GetOrAdd(contract, c => c.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal));

    private static class KubernetesJsonOptions
    {
        /// <summary>The options KubernetesJson uses (its converters for dates, quantities, int-or-string).</summary>
        public static JsonSerializerOptions Value { get; } = Capture();

        private static JsonSerializerOptions Capture()
        {
            JsonSerializerOptions? captured = null;
            KubernetesJson.AddJsonOptions(o => captured = o);
            return captured ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options");
        }
    }
}
