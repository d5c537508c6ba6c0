using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;

namespace Gantry.Tests.Registry.CustomResourceDefinitions;

/// <summary>
/// CRDs for the rules' tests, decoded from JSON as the registry decodes them (so schema members typed <c>object</c>
/// arrive as JSON elements): a valid one-version <c>widgets.example.com</c>, edited as JSON before decoding.
/// </summary>
internal static class CrdFixture
{
    public const string Valid = """
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "widgets.example.com" },
          "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": { "plural": "widgets", "kind": "Widget" },
            "versions": [
              {
                "name": "v1", "served": true, "storage": true,
                "schema": { "openAPIV3Schema": { "type": "object", "properties": { "spec": { "type": "object", "properties": { "size": { "type": "integer" } } } } } }
              }
            ]
          }
        }
        """;

    public static IResourceRules Rules { get; } = new CustomResourceDefinitionRules();

    public static V1CustomResourceDefinition Crd(Action<JsonObject>? edit = null)
    {
        var json = JsonNode.Parse(Valid)!.AsObject();
        edit?.Invoke(json);
        return KubernetesJson.Deserialize<V1CustomResourceDefinition>(json.ToJsonString());
    }

    /// <summary>A CRD whose one version has <paramref name="schemaJson"/> as its openAPIV3Schema, and <paramref name="edit"/> applied.</summary>
    public static V1CustomResourceDefinition WithSchema(string schemaJson, Action<JsonObject>? edit = null) => Crd(crd =>
    {
        Version(crd, 0)["schema"] = new JsonObject { ["openAPIV3Schema"] = JsonNode.Parse(schemaJson) };
        edit?.Invoke(crd);
    });

    public static JsonObject Spec(JsonObject crd) => crd["spec"]!.AsObject();

    public static JsonObject Version(JsonObject crd, int index) => crd["spec"]!["versions"]![index]!.AsObject();

    /// <summary>Adds a copy of the first version named <paramref name="name"/>, neither storage nor (unless said) with another schema.</summary>
    public static JsonObject AddVersion(JsonObject crd, string name)
    {
        var copy = Version(crd, 0).DeepClone().AsObject();
        copy["name"] = name;
        copy["storage"] = false;
        crd["spec"]!["versions"]!.AsArray().Add(copy);
        return copy;
    }

    /// <summary>Defaults then validates as a create does; the errors as kubectl prints them.</summary>
    public static List<string> CreateErrors(V1CustomResourceDefinition crd)
    {
        Rules.Default(crd);
        return Rules.ValidateCreate(crd).Select(e => e.ToString()).ToList();
    }

    /// <summary>Prepares, defaults and validates an update of <paramref name="old"/> (created first) to <paramref name="crd"/>.</summary>
    public static List<string> UpdateErrors(V1CustomResourceDefinition crd, V1CustomResourceDefinition old)
    {
        Rules.Default(old);
        crd.Status = old.Status is null ? null : KubernetesJson.Deserialize<V1CustomResourceDefinitionStatus>(KubernetesJson.Serialize(old.Status));
        Rules.PrepareForUpdate(crd, old);
        Rules.Default(crd);
        return Rules.ValidateUpdate(crd, old).Select(e => e.ToString()).ToList();
    }
}
