using System.Text.Json.Nodes;
using k8s;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// apimachinery's <c>equality.Semantic.DeepEqual</c> over the wire form: two values are equal when their JSON
/// is, with absent, null, empty lists and empty maps all counting as "not set".
/// </summary>
internal static class SemanticEquality
{
    public static bool AreEqual(object? left, object? right) =>
        JsonNode.DeepEquals(Normalized(left), Normalized(right));

    /// <summary>The JSON form with unset values removed; null when nothing is set.</summary>
    public static JsonNode? Normalized(object? value) =>
        value is null ? null : Prune(JsonNode.Parse(KubernetesJson.Serialize(value)));

    /// <summary>A deep copy made through the wire form, so that mutating it cannot touch the original.</summary>
    public static T Clone<T>(T value)
        where T : class =>
        KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    private static JsonNode? Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    var pruned = Prune(child);
                    if (pruned is null)
                    {
                        obj.Remove(key);
                    }
                    else if (!ReferenceEquals(pruned, child))
                    {
                        obj[key] = pruned;
                    }
                }

                return obj.Count == 0 ? null : obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    // Elements keep their place even when empty: [{}] and [] differ in length.
                    var pruned = Prune(array[i]);
                    if (!ReferenceEquals(pruned, array[i]))
                    {
                        array[i] = pruned ?? new JsonObject();
                    }
                }

                return array.Count == 0 ? null : array;
            default:
                return node;
        }
    }
}
