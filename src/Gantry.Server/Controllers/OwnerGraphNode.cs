using System.Text.Json;
using Gantry.Core.Resources;

namespace Gantry.Server.Controllers;

/// <summary>One object as the garbage collector sees it: identity, owners, and whether it is being deleted.</summary>
public sealed record OwnerGraphNode(
    ResourceType Type,
    string? Namespace,
    string Name,
    string Uid,
    IReadOnlyList<OwnerGraphReference> Owners,
    bool Deleting,
    IReadOnlyList<string> Finalizers)
{
    /// <summary>Reads the metadata of a stored object; null when it has no uid (never the case for stored objects).</summary>
    public static OwnerGraphNode? Parse(ResourceType type, byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("uid", out var uid))
        {
            return null;
        }

        var owners = new List<OwnerGraphReference>();
        if (metadata.TryGetProperty("ownerReferences", out var references) && references.ValueKind == JsonValueKind.Array)
        {
            foreach (var reference in references.EnumerateArray())
            {
                owners.Add(new OwnerGraphReference(
                    Text(reference, "apiVersion"), Text(reference, "kind"), Text(reference, "name"), Text(reference, "uid"),
                    Flag(reference, "controller"), Flag(reference, "blockOwnerDeletion")));
            }
        }

        var finalizers = metadata.TryGetProperty("finalizers", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(f => f.GetString() ?? "").ToList()
            : [];
        return new OwnerGraphNode(
            type,
            metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() : null,
            Text(metadata, "name"),
            uid.GetString() ?? "",
            owners,
            metadata.TryGetProperty("deletionTimestamp", out var deleting) && deleting.ValueKind != JsonValueKind.Null,
            finalizers);
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
