using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>): merges a manager's applied
/// configuration into the live object and tracks who owns which field, following
/// structured-merge-diff's <c>Updater.Apply</c> on the common paths.
/// </summary>
public static class ServerSideApply
{
    /// <summary>The manager that owns everything an object had before anyone tracked ownership.</summary>
    internal const string BeforeFirstApply = "before-first-apply";

    private const string StatusSubresource = "status";

    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> to <paramref name="live"/>
    /// (null to create). Fields the configuration sets are merged in (maps recursively, keyed and
    /// set lists element by element, other lists whole); fields it does not mention are kept,
    /// except those this manager applied last time and no manager owns now, which are removed.
    /// When the apply would change a field another manager owns, the result lists the conflicts
    /// and changes nothing, unless <paramref name="force"/> moves the fields to this manager.
    /// On success the object's <c>metadata.managedFields</c> holds this manager's
    /// <c>operation: Apply</c> entry stamped with <paramref name="time"/>. Applied to the main
    /// resource, the status of a kind with a status subresource is ignored; applied to
    /// <paramref name="subresource"/> <c>status</c>, the spec and the metadata the status strategy
    /// keeps are, and the entry names the subresource, as kube's does. Neither argument is modified.
    /// </summary>
    public static ApplyResult Apply(
        JsonObject? live,
        JsonObject applied,
        string manager,
        bool force,
        PatchSchema schema,
        DateTimeOffset time,
        string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(schema);
        if (applied["metadata"] is JsonObject appliedMetadata && appliedMetadata["managedFields"] is not null)
        {
            throw new PatchException("metadata.managedFields must be nil");
        }

        var before = live is null ? [] : ManagedFields.WithoutManagedFields(live);
        var entries = live is null ? [] : ManagedFields.Read(live);
        if (live is not null && entries.Count == 0)
        {
            entries.Add(new ManagerEntry(
                BeforeFirstApply,
                ManagedFields.UpdateOperation,
                ManagedFields.Text(live, "apiVersion") ?? "",
                null,
                null,
                ManagedFields.Owned(ObjectFields.Of(before, schema))));
        }

        var config = Configuration(applied, schema, subresource);
        var merged = (JsonObject)before.DeepClone();
        MergeObject(merged, config, schema);
        var appliedFields = ManagedFields.Owned(ObjectFields.Of(config, schema));

        var self = entries.Find(e => e.Is(manager, ManagedFields.ApplyOperation, "", subresource));
        var others = entries.Where(e => e != self).ToList();
        if (self is not null)
        {
            var stillOwned = appliedFields.Clone();
            others.ForEach(o => stillOwned.UnionWith(o.Fields));
            var dropped = self.Fields.Clone();
            dropped.ExceptWith(appliedFields);
            Prune(merged, dropped, stillOwned, schema, []);
        }

        var comparison = ObjectFields.Compare(before, merged, schema);
        var changed = comparison.Added.Clone();
        changed.UnionWith(comparison.Modified);
        var conflicts = others
            .Select(o => (Owner: o, Fields: o.Fields.Intersect(changed)))
            .Where(c => !c.Fields.IsEmpty)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            return new ApplyResult(null, conflicts
                .SelectMany(c => c.Fields.MemberPaths().Select(path =>
                    new ApplyConflict(c.Owner.Manager, c.Owner.Operation, c.Owner.ApiVersion, path, c.Owner.Subresource)))
                .OrderBy(c => c.ManagerDescription, StringComparer.Ordinal)
                .ToList());
        }

        conflicts.ForEach(c => c.Owner.Fields.ExceptWith(c.Fields));
        others.ForEach(o => o.Fields.ExceptWith(comparison.Removed));

        // A no-op apply keeps its timestamp, so it does not change the object at all.
        var noop = comparison.IsSame && self is not null && self.Fields.SetEquals(appliedFields);
        var apiVersion = ManagedFields.Text(applied, "apiVersion") ?? (live is null ? null : ManagedFields.Text(live, "apiVersion")) ?? "";
        var entry = new ManagerEntry(
            manager,
            ManagedFields.ApplyOperation,
            apiVersion,
            noop ? self!.Time : ManagedFields.FormatTime(time),
            subresource,
            appliedFields);
        others.Add(entry);
        ManagedFields.Write(merged, others);
        return new ApplyResult(merged, []);
    }

    /// <summary>
    /// The part of <paramref name="applied"/> an apply acts on. Applied to the status subresource, that is all but the
    /// spec and the metadata the kind's status strategy keeps (<see cref="PatchSchema.StatusKeptMetadata"/>): kube
    /// resets them after merging and owns none of them. Otherwise a status written through its own subresource is left
    /// out, as the API server resets it on writes to the main resource. Either way identity fields set to null, which
    /// generated manifests carry (<c>creationTimestamp: null</c>), are left out so as not to erase the live values.
    /// </summary>
    private static JsonObject Configuration(JsonObject applied, PatchSchema schema, string? subresource)
    {
        var config = (JsonObject)applied.DeepClone();
        if (subresource == StatusSubresource)
        {
            config.Remove("spec");
            if (config["metadata"] is JsonObject kept)
            {
                foreach (var name in schema.StatusKeptMetadata)
                {
                    kept.Remove(name);
                }
            }
        }
        else if (schema.HasStatusSubresource)
        {
            config.Remove("status");
        }

        if (config["metadata"] is JsonObject metadata)
        {
            var nulls = metadata.Where(p => p.Value is null && ManagedFields.IsUnownedMetadata(p.Key)).Select(p => p.Key).ToList();
            nulls.ForEach(name => metadata.Remove(name));
        }

        return config;
    }

    private static void MergeObject(JsonObject target, JsonObject config, PatchSchema schema)
    {
        foreach (var (name, value) in config)
        {
            var fieldSchema = schema.Field(name);
            target.TryGetPropertyValue(name, out var current);
            switch (value)
            {
                case null:
                    target.Remove(name);
                    break;
                case JsonObject map when current is JsonObject currentMap:
                    MergeObject(currentMap, map, fieldSchema);
                    break;
                case JsonArray list when current is JsonArray currentList && fieldSchema.ListType != ListType.Atomic:
                    target[name] = MergeList(currentList, list, fieldSchema);
                    break;
                default:
                    target[name] = value.DeepClone();
                    break;
            }
        }
    }

    /// <summary>
    /// Merges a keyed or set list: configured elements merge with the live element of the same
    /// key and come in the configuration's order; live-only elements keep their place.
    /// </summary>
    private static JsonArray MergeList(JsonArray live, JsonArray config, PatchSchema schema)
    {
        var configIds = config.Select(e => ObjectFields.ElementOf(e, schema)).ToList();
        var duplicate = configIds.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PatchException($"duplicate entries for key {duplicate.Key}");
        }

        var liveById = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var liveIds = new List<string>();
        foreach (var element in live)
        {
            var id = ObjectFields.ElementOf(element, schema);
            liveIds.Add(id);
            liveById.TryAdd(id, element);
        }

        var result = new JsonArray();
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        var next = 0;
        void EmitConfiguredThrough(int last)
        {
            for (; next <= last; next++)
            {
                emitted.Add(configIds[next]);
                result.Add(MergeElement(liveById.GetValueOrDefault(configIds[next]), config[next], schema));
            }
        }

        for (var i = 0; i < live.Count; i++)
        {
            var position = configIds.IndexOf(liveIds[i]);
            if (position >= 0)
            {
                EmitConfiguredThrough(position);
            }
            else if (emitted.Add(liveIds[i]))
            {
                result.Add(live[i]?.DeepClone());
            }
        }

        EmitConfiguredThrough(config.Count - 1);
        return result;
    }

    private static JsonNode? MergeElement(JsonNode? live, JsonNode? config, PatchSchema schema)
    {
        if (live is JsonObject liveMap && config is JsonObject configMap)
        {
            var merged = (JsonObject)liveMap.DeepClone();
            MergeObject(merged, configMap, schema);
            return merged;
        }

        return config?.DeepClone();
    }

    /// <summary>
    /// Removes what the manager applied before and has now dropped, except what some manager
    /// still owns (and the key fields of list elements that stay). Like structured-merge-diff's
    /// prune, it never removes a field the manager did not own.
    /// </summary>
    private static void Prune(JsonNode node, FieldSet dropped, FieldSet? owned, PatchSchema schema, IReadOnlyList<string> keyFields)
    {
        foreach (var (element, droppedChild) in dropped.Children)
        {
            var ownedChild = owned?.Child(element);
            var unowned = droppedChild.IsMember && (ownedChild is null || ownedChild.IsEmpty);
            if (node is JsonObject map && element.StartsWith("f:", StringComparison.Ordinal))
            {
                var name = element[2..];
                if (keyFields.Contains(name) || !map.TryGetPropertyValue(name, out var value))
                {
                    continue;
                }

                if (unowned)
                {
                    map.Remove(name);
                }
                else if (value is JsonObject or JsonArray)
                {
                    var wasEmpty = value is JsonObject { Count: 0 };
                    Prune(value, droppedChild, ownedChild, schema.Field(name), []);
                    if (!wasEmpty && value is JsonObject { Count: 0 } && ownedChild?.IsMember != true)
                    {
                        map.Remove(name);
                    }
                }
            }
            else if (node is JsonArray list)
            {
                var index = list.ToList().FindIndex(e => ObjectFields.ElementOf(e, schema) == element);
                if (index < 0)
                {
                    continue;
                }

                if (unowned)
                {
                    list.RemoveAt(index);
                }
                else if (list[index] is JsonObject item)
                {
                    Prune(item, droppedChild, ownedChild, schema, schema.ListMapKeys);
                }
            }
        }
    }
}
