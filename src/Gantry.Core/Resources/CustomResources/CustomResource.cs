using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Gantry.Core.Resources.CustomResources;

/// <summary>
/// An object of a kind a CustomResourceDefinition defines: the metadata every object has, its status (for the status
/// subresource) and, as it came, every other member; the definition's schema, not this model, says what those hold.
/// </summary>
public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Status { get; set; }

    /// <summary>The members other than the ones above (<c>spec</c> and whatever else the schema names).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Content { get; set; }
}
