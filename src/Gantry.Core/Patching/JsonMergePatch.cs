using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>JSON Merge Patch (RFC 7386), the <c>application/merge-patch+json</c> patch type.</summary>
public static class JsonMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/> exactly as RFC 7386 section 2
    /// defines it: objects merge recursively, <c>null</c> members delete, anything else replaces.
    /// Neither argument is modified; the result shares no nodes with them.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        Merge(result, patchObject);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject valueObject)
            {
                if (target[name] is not JsonObject child)
                {
                    child = [];
                    target[name] = child;
                }

                Merge(child, valueObject);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
