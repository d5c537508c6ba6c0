using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gantry.Core.Resources;
using Gantry.Core.Resources.CustomResources;
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
        if (type.Custom is { } custom)
        {
            return DecodeCustom(type, custom, input, validation, warnings);
        }

        // One serialization serves both passes; the serializer would write the tree out to read it anyway, and walking the
        // bytes rather than the tree leaves its members unmaterialized.
        using var scratch = JsonScratch.Rent();
        var json = scratch.Write(input);
        IKubernetesObject<V1ObjectMeta> typed;
        try
        {
            typed = (IKubernetesObject<V1ObjectMeta>)(JsonSerializer.Deserialize(json.Span, type.ModelType, KubernetesJsonOptions.Value)
                ?? throw new JsonException("null object"));
        }
        catch (Exception ex) when (IsDecodingError(ex))
        {
            throw CannotHandle(type, ex.Message);
        }

        CheckUnknown(type, json, KubernetesJsonOptions.Value.GetTypeInfo(type.ModelType), [], validation, warnings);
        return typed;
    }

    /// <summary>
    /// What a status write makes of <paramref name="stored"/>: a copy whose status is <paramref name="status"/>, decoded
    /// and checked for unknown fields as <see cref="Decode"/> does, and whose other members are <paramref name="stored"/>'s
    /// own, shared, since the write keeps them as they are.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> WithStatus(
        ResourceType type, IKubernetesObject<V1ObjectMeta> stored, JsonNode? status, FieldValidation validation, ICollection<string> warnings)
    {
        if (type.Custom is { } custom)
        {
            var whole = ToNode(stored);
            whole["status"] = status?.DeepClone();
            return DecodeCustom(type, custom, whole, validation, warnings);
        }

        var contract = KubernetesJsonOptions.Value.GetTypeInfo(type.ModelType);
        var copy = contract.CreateObject!();
        var statusProperty = StatusOf(contract);
        foreach (var property in contract.Properties)
        {
            if (property != statusProperty)
            {
                property.Set!(copy, property.Get!(stored));
            }
        }

        if (status is not null)
        {
            using var scratch = JsonScratch.Rent();
            var json = scratch.Write(status);
            try
            {
                statusProperty.Set!(copy, JsonSerializer.Deserialize(json.Span, statusProperty.PropertyType, KubernetesJsonOptions.Value));
            }
            catch (Exception ex) when (IsDecodingError(ex))
            {
                throw CannotHandle(type, ex.Message);
            }

            CheckUnknown(type, json, contract.Options.GetTypeInfo(statusProperty.PropertyType), [new PathSegment(statusProperty.Name, 0, -1)], validation, warnings);
        }

        return (IKubernetesObject<V1ObjectMeta>)copy;
    }

    /// <summary>The status of <paramref name="typed"/> as the store keeps it: null when it has none.</summary>
    public static JsonNode? StatusToNode(IKubernetesObject<V1ObjectMeta> typed)
    {
        var property = StatusOf(KubernetesJsonOptions.Value.GetTypeInfo(typed.GetType()));
        return property.Get!(typed) is { } status
            ? JsonSerializer.SerializeToNode(status, property.PropertyType, KubernetesJsonOptions.Value)
            : null;
    }

    /// <summary>What the serializer throws for JSON that does not fit the model.</summary>
    private static bool IsDecodingError(Exception ex) => ex is JsonException or FormatException or InvalidOperationException or InvalidCastException;

    /// <summary>Kubernetes' answer to a body it cannot decode as the resource's kind.</summary>
    private static ApiException CannotHandle(ResourceType type, string why) =>
        ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {why}");

    private static readonly ConcurrentDictionary<JsonTypeInfo, JsonPropertyInfo> StatusProperties = new();

    private static JsonPropertyInfo StatusOf(JsonTypeInfo contract) =>
        StatusProperties.GetOrAdd(contract, c => c.Properties.Single(p => p.Name == "status"));

    /// <summary>
    /// A custom resource as kube's decoder for it reads one: what its schema does not specify pruned (and reported, as
    /// the field validation asks, with the metadata's unknown members), then its defaults filled in.
    /// </summary>
    private static CustomResource DecodeCustom(
        ResourceType type, ICustomResourceVersion custom, JsonObject input, FieldValidation validation, ICollection<string> warnings)
    {
        var obj = input.DeepClone().AsObject();
        var unknown = new List<string>(custom.Prune(obj));
        if (validation != FieldValidation.Ignore && obj["metadata"] is JsonObject metadata)
        {
            using var scratch = JsonScratch.Rent();
            var json = scratch.Write(metadata);
            var reader = new Utf8JsonReader(json.Span);
            reader.Read();
            FindUnknown(ref reader, KubernetesJsonOptions.Value.GetTypeInfo(typeof(V1ObjectMeta)), json, [new PathSegment("metadata", 0, -1)], unknown);
        }

        Report(type, unknown, validation, warnings);
        custom.Default(obj);
        try
        {
            return obj.Deserialize<CustomResource>(KubernetesJsonOptions.Value) ?? throw new JsonException("null object");
        }
        catch (Exception ex) when (IsDecodingError(ex))
        {
            throw CannotHandle(type, ex.Message);
        }
    }

    /// <summary>Reports the members of <paramref name="json"/>, at <paramref name="path"/>, that <paramref name="contract"/> does not know, as the field validation asks.</summary>
    private static void CheckUnknown(
        ResourceType type, ReadOnlyMemory<byte> json, JsonTypeInfo contract, List<PathSegment> path, FieldValidation validation, ICollection<string> warnings)
    {
        if (validation == FieldValidation.Ignore)
        {
            return;
        }

        var unknown = new List<string>();
        var reader = new Utf8JsonReader(json.Span);
        reader.Read();
        FindUnknown(ref reader, contract, json, path, unknown);
        Report(type, unknown, validation, warnings);
    }

    /// <summary>Reports unknown fields as kube's strict decoding does: an error when strict, otherwise warnings (none when ignored).</summary>
    private static void Report(ResourceType type, List<string> unknown, FieldValidation validation, ICollection<string> warnings)
    {
        if (unknown.Count == 0 || validation == FieldValidation.Ignore)
        {
            return;
        }

        if (validation == FieldValidation.Strict)
        {
            var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw CannotHandle(type, $"strict decoding error: {list}");
        }

        foreach (var u in unknown)
        {
            warnings.Add($"unknown field \"{u}\"");
        }
    }

    /// <summary>
    /// Decodes an object as the store holds it, which was checked when it was written: straight from its bytes, with
    /// no check for unknown fields, and without its managed fields, which the registry keeps as JSON.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> DecodeStored(ResourceType type, byte[] stored) =>
        (IKubernetesObject<V1ObjectMeta>)(JsonSerializer.Deserialize(stored, type.ModelType, KubernetesJsonOptions.WithoutManagedFields)
            ?? throw new JsonException("null object"));

    public static JsonObject ToNode(IKubernetesObject<V1ObjectMeta> typed) =>
        JsonSerializer.SerializeToNode(typed, typed.GetType(), KubernetesJsonOptions.Value)!.AsObject();

    /// <summary>
    /// The members of the value at <paramref name="reader"/> that <paramref name="contract"/> has no property for, with
    /// their paths; leaves the reader on the value's last token. What a converter of its own reads (quantities,
    /// int-or-string, times, raw objects) is a value, not looked into. Every member of every written object is walked and
    /// nearly all are known, so names are matched without being allocated, and a path is spelled out only for a member
    /// that is reported.
    /// </summary>
    private static void FindUnknown(ref Utf8JsonReader reader, JsonTypeInfo contract, ReadOnlyMemory<byte> json, List<PathSegment> path, List<string> unknown)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when contract.Kind == JsonTypeInfoKind.Object:
                var properties = PropertiesOf(contract).GetAlternateLookup<ReadOnlySpan<char>>();
                Span<char> name = stackalloc char[MaxNameLength];
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var nameAt = (int)reader.TokenStartIndex;
                    var known = TryName(ref reader, name, out var length)
                        ? properties.TryGetValue(name[..length], out var property)
                        : PropertiesOf(contract).TryGetValue(reader.GetString()!, out property);
                    reader.Read();
                    if (!known)
                    {
                        if (reader.TokenType != JsonTokenType.Null)
                        {
                            path.Add(new PathSegment(null, 0, nameAt));
                            unknown.Add(Spell(path, json.Span));
                            path.RemoveAt(path.Count - 1);
                        }

                        reader.Skip();
                        continue;
                    }

                    path.Add(new PathSegment(property!.Name, 0, -1));
                    FindUnknown(ref reader, contract.Options.GetTypeInfo(property.PropertyType), json, path, unknown);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonTokenType.StartObject when contract.Kind == JsonTypeInfoKind.Dictionary && contract.ElementType is { } valueType:
                var values = contract.Options.GetTypeInfo(valueType);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    path.Add(new PathSegment(null, 0, (int)reader.TokenStartIndex));
                    reader.Read();
                    FindUnknown(ref reader, values, json, path, unknown);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonTokenType.StartArray when contract.Kind == JsonTypeInfoKind.Enumerable && contract.ElementType is { } elementType:
                var elements = contract.Options.GetTypeInfo(elementType);
                for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
                {
                    path.Add(new PathSegment(null, i, -1));
                    FindUnknown(ref reader, elements, json, path, unknown);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                reader.Skip();
                break;
        }
    }

    private const int MaxNameLength = 128;

    /// <summary>The current property name as characters, when it is short and unescaped (every name of the model is).</summary>
    private static bool TryName(ref Utf8JsonReader reader, scoped Span<char> name, out int length)
    {
        length = 0;
        return !reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= name.Length
            && Encoding.UTF8.TryGetChars(reader.ValueSpan, name, out length);
    }

    /// <summary>
    /// A member name, an index into an array (when <see cref="Name"/> is null and <see cref="NameAt"/> negative), or a
    /// name yet to be read from the JSON at <see cref="NameAt"/>: map keys and unknown names, read only to be reported.
    /// </summary>
    private readonly record struct PathSegment(string? Name, int Index, int NameAt);

    /// <summary>The path as Kubernetes' strict decoding spells it: <c>spec.containers[0].bogus</c>.</summary>
    private static string Spell(List<PathSegment> path, ReadOnlySpan<byte> json)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.Name is null && segment.NameAt < 0)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(segment.Name ?? NameAt(json, segment.NameAt));
            }
        }

        return text.ToString();
    }

    private static string NameAt(ReadOnlySpan<byte> json, int at)
    {
        var reader = new Utf8JsonReader(json[at..], isFinalBlock: false, state: default);
        reader.Read();
        return reader.GetString() ?? "";
    }

    private static readonly ConcurrentDictionary<JsonTypeInfo, Dictionary<string, JsonPropertyInfo>> Properties = new();

    private static Dictionary<string, JsonPropertyInfo> PropertiesOf(JsonTypeInfo contract) =>
        Properties.GetOrAdd(contract, c => c.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal));
}
