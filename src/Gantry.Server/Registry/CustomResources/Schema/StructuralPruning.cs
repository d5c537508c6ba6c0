using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// Drops what a structural schema does not specify, as apiextensions-apiserver does when it decodes a custom resource
/// (<c>pkg/apiserver/schema/pruning/algorithm.go</c>, then <c>objectmeta.CoerceWithOptions</c> for the metadata of
/// embedded resources), and names what it dropped as kube's unknown-field report does.
/// </summary>
public static class StructuralPruning
{
    private static readonly HashSet<string> MetaFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>
    /// Removes, in place, every field of <paramref name="obj"/> that <paramref name="schema"/> does not specify, except
    /// under <c>x-kubernetes-preserve-unknown-fields</c>. At a resource root (and in every
    /// <c>x-kubernetes-embedded-resource</c> object) apiVersion, kind and metadata are kept; the root's metadata is left
    /// alone (see <see cref="PruneObjectMeta"/>), an embedded resource's is pruned to ObjectMeta's fields.
    /// </summary>
    /// <returns>
    /// The removed fields' paths, each fit for <c>unknown field "…"</c>: the schema pruning's sorted
    /// (<c>spec.bogus</c>, <c>spec.items[0].bogus</c>, map keys as <c>spec.map.key.bogus</c>), then the embedded
    /// metadata's sorted (<c>spec.template.metadata.bogus</c>), as kube lists them.
    /// </returns>
    public static IReadOnlyList<string> Prune(JsonObject obj, StructuralSchema schema, bool isResourceRoot = true)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var root = isResourceRoot && !schema.EmbeddedResource ? schema with { EmbeddedResource = true } : schema;
        var pruned = new List<string>();
        Prune(obj, root, "", pruned);
        pruned.Sort(StringComparer.Ordinal);

        var metadata = new List<string>();
        CoerceEmbedded(obj, schema, "", metadata);
        metadata.Sort(StringComparer.Ordinal);
        pruned.AddRange(metadata);
        return pruned;
    }

    /// <summary>
    /// Removes from <paramref name="metadata"/> the fields ObjectMeta does not have, at any depth
    /// (<c>ownerReferences[0].bogus</c>), and a null creationTimestamp, as kube's round trip through ObjectMeta does.
    /// Kube does this to the root's metadata too; <paramref name="parent"/> is where the metadata sits (empty at the root).
    /// </summary>
    /// <returns>The removed fields' paths, e.g. <c>metadata.bogus</c>, <c>spec.template.metadata.bogus</c>.</returns>
    public static IReadOnlyList<string> PruneObjectMeta(JsonObject metadata, string parent = "")
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(parent);
        var removed = new List<string>();
        EmbeddedObjectMeta.Prune(metadata, parent.Length == 0 ? "metadata" : parent + ".metadata", removed);
        return removed;
    }

    /// <summary>Prunes a value that is not a resource root (a default, when the schema is built).</summary>
    internal static void PruneValue(JsonNode? value, StructuralSchema schema)
    {
        var ignored = new List<string>();
        Prune(value, schema, "", ignored);
        CoerceEmbedded(value, schema, "", ignored);
    }

    private static void Prune(JsonNode? x, StructuralSchema? s, string path, List<string> pruned)
    {
        if (s is { PreserveUnknownFields: true })
        {
            SkipPrune(x, s, path, pruned);
            return;
        }

        switch (x)
        {
            case JsonObject map:
                foreach (var key in map.Select(p => p.Key).ToList())
                {
                    if (s is null)
                    {
                        pruned.Add(Key(path, key));
                        map.Remove(key);
                        continue;
                    }

                    if (s.EmbeddedResource && MetaFields.Contains(key))
                    {
                        continue;
                    }

                    if (s.Properties.TryGetValue(key, out var property))
                    {
                        Prune(map[key], property, Key(path, key), pruned);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        Prune(map[key], additional.Schema, Key(path, key), pruned);
                    }
                    else
                    {
                        if (!MetaFields.Contains(key) || path.Length > 0)
                        {
                            pruned.Add(Key(path, key));
                        }

                        map.Remove(key);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], s?.Items, Index(path, i), pruned);
                }

                break;
        }
    }

    /// <summary>Under preserve-unknown-fields: unknown fields stay, but the fields the schema specifies are pruned by it.</summary>
    private static void SkipPrune(JsonNode? x, StructuralSchema s, string path, List<string> pruned)
    {
        switch (x)
        {
            case JsonObject map:
                foreach (var key in map.Select(p => p.Key).ToList())
                {
                    if (s.EmbeddedResource && MetaFields.Contains(key))
                    {
                        continue;
                    }

                    if (s.Properties.TryGetValue(key, out var property))
                    {
                        Prune(map[key], property, Key(path, key), pruned);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        Prune(map[key], additional.Schema, Key(path, key), pruned);
                    }
                }

                break;
            case JsonArray array when s.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    SkipPrune(array[i], items, Index(path, i), pruned);
                }

                break;
        }
    }

    /// <summary>
    /// objectmeta's coercer (not at the root): the metadata of every embedded resource is pruned to ObjectMeta. Its paths
    /// are field paths, so map keys read <c>[key]</c> here.
    /// </summary>
    private static void CoerceEmbedded(JsonNode? x, StructuralSchema? s, string path, List<string> pruned)
    {
        if (s is null)
        {
            return;
        }

        switch (x)
        {
            case JsonObject map:
                if (s.EmbeddedResource && map["metadata"] is JsonObject metadata)
                {
                    EmbeddedObjectMeta.Prune(metadata, Key(path, "metadata"), pruned);
                }

                foreach (var (key, value) in map.ToList())
                {
                    if (s.Properties.TryGetValue(key, out var property))
                    {
                        CoerceEmbedded(value, property, Key(path, key), pruned);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        CoerceEmbedded(value, additional.Schema, $"{path}[{key}]", pruned);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CoerceEmbedded(array[i], s.Items, Index(path, i), pruned);
                }

                break;
        }
    }

    private static string Key(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
