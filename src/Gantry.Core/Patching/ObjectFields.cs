using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// The field paths an object sets, in structured-merge-diff's terms: scalars, nulls, empty maps
/// and atomic lists are leaves; elements of <see cref="ListType.Map"/> and
/// <see cref="ListType.Set"/> lists are members of their own, identified by key or value.
/// </summary>
internal static class ObjectFields
{
    public static FieldSet Of(JsonObject value, PatchSchema schema)
    {
        var set = new FieldSet();
        AddObject(value, schema, set);
        return set;
    }

    /// <remarks>
    /// Members equal on both sides add, remove and modify nothing, so the walk goes only down the members that differ,
    /// map by map: an update usually changes a few fields (a binding's node name, a status), and building the field
    /// sets of everything unchanged was most of the cost of recording who changed what. Where a member is not a map
    /// on both sides, its field sets are built and compared whole.
    /// </remarks>
    /// <param name="withoutManagedFields">Leave <c>metadata.managedFields</c> out on both sides, as if removed.</param>
    /// <param name="onlyMember">
    /// The one member of the object that may differ (a status write's <c>status</c>): the others are known to be the
    /// same, and are not walked.
    /// </param>
    public static FieldComparison Compare(
        JsonObject before, JsonObject after, PatchSchema schema, bool withoutManagedFields = false, string? onlyMember = null)
    {
        var comparison = new FieldComparison(new FieldSet(), new FieldSet(), new FieldSet());
        if (onlyMember is null)
        {
            CompareMembers(before, after, schema, comparison, withoutManagedFields);
        }
        else
        {
            CompareMember(onlyMember, before, after, schema, comparison, withoutManagedFields);
        }

        return comparison;
    }

    /// <param name="withoutManagedFields">Leave <c>managedFields</c> out of a <c>metadata</c> member (of the object itself, never deeper).</param>
    private static void CompareMembers(JsonObject before, JsonObject after, PatchSchema schema, FieldComparison into, bool withoutManagedFields = false)
    {
        foreach (var (name, _) in before)
        {
            CompareMember(name, before, after, schema, into, withoutManagedFields);
        }

        foreach (var (name, _) in after)
        {
            if (!before.ContainsKey(name))
            {
                CompareMember(name, before, after, schema, into, withoutManagedFields);
            }
        }
    }

    private static void CompareMember(string name, JsonObject before, JsonObject after, PatchSchema schema, FieldComparison into, bool withoutManagedFields)
    {
        var childSchema = schema.Field(name);
        var managedFieldsOut = withoutManagedFields && name == "metadata";
        var inBefore = before.TryGetPropertyValue(name, out var beforeMember);
        var inAfter = after.TryGetPropertyValue(name, out var afterMember);
        var beforeChild = managedFieldsOut ? WithoutManagedFields(beforeMember) : beforeMember;
        var afterChild = managedFieldsOut ? WithoutManagedFields(afterMember) : afterMember;
        if (!inAfter)
        {
            if (inBefore)
            {
                into.Removed.AddChild("f:" + name, MemberFields(beforeChild, childSchema));
            }

            return;
        }

        if (!inBefore)
        {
            into.Added.AddChild("f:" + name, MemberFields(afterChild, childSchema));
            return;
        }

        if (JsonEquality.DeepEquals(beforeChild, afterChild))
        {
            return;
        }

        var child = new FieldComparison(new FieldSet(), new FieldSet(), new FieldSet());
        if (beforeChild is JsonObject { Count: > 0 } beforeMap && afterChild is JsonObject { Count: > 0 } afterMap)
        {
            CompareMembers(beforeMap, afterMap, childSchema, child);
        }
        else
        {
            CompareWhole(beforeChild, afterChild, childSchema, child);
        }

        into.Added.AddChild("f:" + name, child.Added);
        into.Modified.AddChild("f:" + name, child.Modified);
        into.Removed.AddChild("f:" + name, child.Removed);
    }

    /// <summary>The metadata without its managed fields: a copy of the metadata only, when it has them.</summary>
    private static JsonNode? WithoutManagedFields(JsonNode? metadata)
    {
        if (metadata is not JsonObject map || !map.ContainsKey("managedFields"))
        {
            return metadata;
        }

        var copy = new JsonObject();
        foreach (var (name, value) in map)
        {
            if (name != "managedFields")
            {
                copy[name] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static void CompareWhole(JsonNode? before, JsonNode? after, PatchSchema schema, FieldComparison into)
    {
        var beforeSet = MemberFields(before, schema);
        var afterSet = MemberFields(after, schema);
        var added = afterSet.Clone();
        added.ExceptWith(beforeSet);
        into.Added.UnionWith(added);
        var removed = beforeSet.Clone();
        removed.ExceptWith(afterSet);
        into.Removed.UnionWith(removed);
        Diff(before, after, schema, into.Modified);
    }

    /// <summary>
    /// The path element of a list element: <c>k:{"name":"x"}</c> (key fields in name order,
    /// defaulted where the schema says so) for a map list, <c>v:"x"</c> for a set.
    /// </summary>
    public static string ElementOf(JsonNode? element, PatchSchema list)
    {
        if (list.ListType == ListType.Set)
        {
            return "v:" + (element?.ToJsonString() ?? "null");
        }

        if (element is not JsonObject map)
        {
            throw new PatchException($"associative list with keys has an element that is not a map: {element?.ToJsonString() ?? "null"}");
        }

        // Most keyed lists (conditions, containers, ports by name) have one key with a string value: its text is
        // written directly, as the general path below would write it.
        if (list.ListMapKeys is [var only] && map[only] is JsonValue single && single.GetValueKind() == JsonValueKind.String)
        {
            return $"k:{{\"{only}\":\"{JsonEncodedText.Encode(single.GetValue<string>())}\"}}";
        }

        var key = new JsonObject();
        foreach (var name in list.ListMapKeys.Order(StringComparer.Ordinal))
        {
            if (map[name] is { } value)
            {
                key[name] = value.DeepClone();
            }
            else if (list.ListMapKeyDefaults.TryGetValue(name, out var defaultValue))
            {
                key[name] = defaultValue;
            }
            else
            {
                throw new PatchException(
                    $"associative list with keys has an element that omits key field \"{name}\" (and doesn't have default value)");
            }
        }

        return "k:" + key.ToJsonString();
    }

    private static void AddObject(JsonObject value, PatchSchema schema, FieldSet set)
    {
        foreach (var (name, child) in value)
        {
            // An empty keyed or set list stays empty here: like structured-merge-diff, it claims nothing.
            set.AddChild("f:" + name, MemberFields(child, schema.Field(name)));
        }
    }

    /// <summary>What one member claims: its fields, or itself when it is a leaf.</summary>
    private static FieldSet MemberFields(JsonNode? child, PatchSchema schema)
    {
        var set = new FieldSet();
        switch (child)
        {
            case JsonObject { Count: > 0 } map:
                AddObject(map, schema, set);
                break;
            case JsonArray list when schema.ListType != ListType.Atomic:
                AddElements(list, schema, set);
                break;
            default:
                set.IsMember = true;
                break;
        }

        return set;
    }

    private static void AddElements(JsonArray list, PatchSchema schema, FieldSet set)
    {
        foreach (var element in list)
        {
            var elementSet = set.GetOrAddChild(ElementOf(element, schema));
            elementSet.IsMember = true;
            if (schema.ListType == ListType.Map)
            {
                AddObject((JsonObject)element!, schema, elementSet);
            }
        }
    }

    private static void Diff(JsonNode? before, JsonNode? after, PatchSchema schema, FieldSet modified)
    {
        if (IsLeaf(before, schema) && IsLeaf(after, schema))
        {
            modified.IsMember = !JsonEquality.DeepEquals(before, after);
            return;
        }

        switch (before, after)
        {
            case (JsonObject beforeMap, JsonObject afterMap):
                DiffMembers(beforeMap, afterMap, schema, modified);
                break;
            case (JsonArray beforeList, JsonArray afterList) when schema.ListType == ListType.Map:
                var afterElements = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                foreach (var element in afterList)
                {
                    afterElements.TryAdd(ElementOf(element, schema), element);
                }

                foreach (var element in beforeList)
                {
                    var path = ElementOf(element, schema);
                    if (afterElements.TryGetValue(path, out var afterElement))
                    {
                        var child = new FieldSet();
                        Diff(element, afterElement, schema, child);
                        modified.AddChild(path, child);
                    }
                }

                break;
        }
    }

    private static void DiffMembers(JsonObject before, JsonObject after, PatchSchema schema, FieldSet modified)
    {
        foreach (var (name, beforeChild) in before)
        {
            if (after.TryGetPropertyValue(name, out var afterChild))
            {
                var child = new FieldSet();
                Diff(beforeChild, afterChild, schema.Field(name), child);
                modified.AddChild("f:" + name, child);
            }
        }
    }

    private static bool IsLeaf(JsonNode? node, PatchSchema schema) => node switch
    {
        JsonObject map => map.Count == 0,
        JsonArray => schema.ListType == ListType.Atomic,
        _ => true,
    };
}
