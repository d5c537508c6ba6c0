using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Decodes request JSON into the typed model and back, which drops what the schema does not know.
/// Comparing the input with that round trip finds unknown fields, reported as Kubernetes' strict
/// decoding does (<c>unknown field "spec.bogus"</c>).
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
            FindUnknown(input, ToNode(typed), "", unknown);
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

    public static JsonObject ToNode(IKubernetesObject<V1ObjectMeta> typed) =>
        JsonSerializer.SerializeToNode(typed, typed.GetType(), KubernetesJsonOptions.Value)!.AsObject();

    private static void FindUnknown(JsonNode? input, JsonNode? known, string path, List<string> unknown)
    {
        switch (input)
        {
            case JsonObject inObj:
                var knownObj = known as JsonObject;
                foreach (var (name, value) in inObj)
                {
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (knownObj is null || !knownObj.TryGetPropertyValue(name, out var knownValue))
                    {
                        if (value is not null)
                        {
                            unknown.Add(child);
                        }

                        continue;
                    }

                    FindUnknown(value, knownValue, child, unknown);
                }

                break;
            case JsonArray inArr when known is JsonArray knownArr:
                for (var i = 0; i < inArr.Count && i < knownArr.Count; i++)
                {
                    FindUnknown(inArr[i], knownArr[i], $"{path}[{i}]", unknown);
                }

                break;
        }
    }

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
