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
    /// A top-level member equal on both sides adds, removes and modifies nothing, so only the others are walked: an
    /// update usually changes one of an object's spec, status or metadata, and building the field sets of the
    /// unchanged ones was most of the cost of recording who changed what.
    /// </remarks>
    public static FieldComparison Compare(JsonObject before, JsonObject after, PatchSchema schema)
    {
        var changedBefore = Unequal(before, after);
        var changedAfter = Unequal(after, before);
        var beforeSet = new FieldSet();
        AddMembers(changedBefore, schema, beforeSet);
        var afterSet = new FieldSet();
        AddMembers(changedAfter, schema, afterSet);
        var added = afterSet.Clone();
        added.ExceptWith(beforeSet);
        var removed = beforeSet.Clone();
        removed.ExceptWith(afterSet);
        var modified = new FieldSet();
        DiffMembers(changedBefore, after, schema, modified);
        return new FieldComparison(added, modified, removed);
    }

    private static List<KeyValuePair<string, JsonNode?>> Unequal(JsonObject members, JsonObject other) =>
        [.. members.Where(member => !(other.TryGetPropertyValue(member.Key, out var counterpart) && JsonEquality.DeepEquals(member.Value, counterpart)))];

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

    private static void AddObject(JsonObject value, PatchSchema schema, FieldSet set) => AddMembers(value, schema, set);

    private static void AddMembers(IEnumerable<KeyValuePair<string, JsonNode?>> members, PatchSchema schema, FieldSet set)
    {
        foreach (var (name, child) in members)
        {
            var childSet = new FieldSet();
            var childSchema = schema.Field(name);
            switch (child)
            {
                case JsonObject { Count: > 0 } map:
                    AddObject(map, childSchema, childSet);
                    break;
                case JsonArray list when childSchema.ListType != ListType.Atomic:
                    AddElements(list, childSchema, childSet);
                    break;
                default:
                    childSet.IsMember = true;
                    break;
            }

            // An empty keyed or set list stays empty here: like structured-merge-diff, it claims nothing.
            set.AddChild("f:" + name, childSet);
        }
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

    private static void DiffMembers(IEnumerable<KeyValuePair<string, JsonNode?>> before, JsonObject after, PatchSchema schema, FieldSet modified)
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
