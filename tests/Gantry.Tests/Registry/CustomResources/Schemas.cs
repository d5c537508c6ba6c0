using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources.Schema;
using k8s.Models;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>Schemas and objects written as JSON, read as the server reads a CRD and a custom resource.</summary>
internal static class Schemas
{
    public static V1JSONSchemaProps Props(string json) =>
        JsonSerializer.Deserialize<V1JSONSchemaProps>(json, KubernetesJsonOptions.Value)!;

    public static StructuralSchema Parse(string json) => StructuralSchema.From(Props(json));

    public static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>A resource root with the given properties under spec.</summary>
    public static StructuralSchema WithSpec(string specProperties) =>
        Parse("""{"type":"object","properties":{"spec":{"type":"object","properties":""" + specProperties + "}}}");

    /// <summary>The lines kubectl prints for the object's errors.</summary>
    public static string[] Errors(JsonObject obj, StructuralSchema schema) =>
        StructuralValidation.Validate(obj, schema).Select(e => e.ToString()).ToArray();

    public static string Compact(JsonNode node) => node.ToJsonString();
}
