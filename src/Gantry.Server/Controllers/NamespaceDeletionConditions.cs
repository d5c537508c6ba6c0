using System.Text.Json.Nodes;
using Gantry.Server.Registry;

namespace Gantry.Server.Controllers;

/// <summary>
/// The conditions kube's namespace deleter writes on a Terminating namespace, in its order and words: what content
/// remains (by resource and group) and which finalizers hold it. Discovery and parsing cannot fail here, so those
/// conditions are always False.
/// </summary>
public static class NamespaceDeletionConditions
{
    /// <summary>
    /// The conditions for <paramref name="remaining"/> (objects left, by <c>resource.group</c>) and
    /// <paramref name="finalizers"/> (objects each finalizer holds), keeping a condition's transition time from
    /// <paramref name="previous"/> while its status stays.
    /// </summary>
    public static JsonArray For(
        IReadOnlyDictionary<string, int> remaining, IReadOnlyDictionary<string, int> finalizers, JsonArray? previous, DateTimeOffset now)
    {
        var contentRemains = remaining.Count > 0;
        var finalizersRemain = finalizers.Count > 0;
        return
        [
            Condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered", previous, now),
            Condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed", previous, now),
            Condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization", previous, now),
            contentRemains
                ? Condition("NamespaceContentRemaining", true, "SomeResourcesRemain",
                    "Some resources are remaining: " + Join(remaining, (resource, count) => $"{resource} has {count} resource instances"), previous, now)
                : Condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed", previous, now),
            finalizersRemain
                ? Condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + Join(finalizers, (finalizer, count) => $"{finalizer} in {count} resource instances"),
                    previous, now)
                : Condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished", previous, now),
        ];
    }

    private static string Join(IReadOnlyDictionary<string, int> counts, Func<string, int, string> describe) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => describe(c.Key, c.Value)));

    private static JsonObject Condition(string type, bool status, string reason, string message, JsonArray? previous, DateTimeOffset now)
    {
        var text = status ? "True" : "False";
        var before = previous?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        var since = before?["status"]?.GetValue<string>() == text && before["lastTransitionTime"] is JsonValue kept
            ? kept.GetValue<string>()
            : ObjectMetadata.Timestamp(now);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = text,
            ["lastTransitionTime"] = since,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
