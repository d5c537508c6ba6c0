using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>JSON Patch (RFC 6902), the <c>application/json-patch+json</c> patch type.</summary>
public static class JsonPatch
{
    /// <summary>
    /// Applies <paramref name="operations"/> in order to a copy of <paramref name="target"/>:
    /// <c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> and <c>test</c>, with
    /// RFC 6901 pointers (<c>~0</c>, <c>~1</c>) and <c>-</c> to append to an array. The patch is
    /// atomic: the first operation that fails throws <see cref="PatchException"/> and
    /// <paramref name="target"/> is left untouched either way.
    /// </summary>
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);

        JsonNode? document = target.DeepClone();
        foreach (var item in operations)
        {
            if (item is not JsonObject operation)
            {
                throw new PatchException($"invalid operation {Describe(item)}: an operation must be an object");
            }

            document = ApplyOperation(document, operation);
        }

        return document ?? throw new PatchException("the patch replaced the whole document with null");
    }

    private static JsonNode? ApplyOperation(JsonNode? document, JsonObject operation)
    {
        var kind = operation["op"] is JsonValue op && op.GetValueKind() == JsonValueKind.String
            ? op.GetValue<string>()
            : "unknown";
        return kind switch
        {
            "add" => Add(document, kind, Path(operation), Value(operation, kind), "path"),
            "remove" => Remove(document, kind, Path(operation), "path").Document,
            "replace" => Replace(document, Path(operation), Value(operation, kind)),
            "move" => Move(document, From(operation), Path(operation)),
            "copy" => Copy(document, From(operation), Path(operation)),
            "test" => Test(document, Path(operation), Value(operation, kind)),
            _ => throw new PatchException($"Unexpected kind: {kind}"),
        };
    }

    private static JsonNode? Add(JsonNode? document, string kind, string path, JsonNode? value, string role)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Length == 0)
        {
            return value;
        }

        var key = tokens[^1];
        switch (Parent(document, tokens))
        {
            case JsonObject parent:
                parent[key] = value;
                break;
            case JsonArray parent when key == "-":
                parent.Add(value);
                break;
            case JsonArray parent:
                var index = JsonPointer.ParseIndex(key);
                if (index < 0 || index > parent.Count)
                {
                    throw new PatchException(
                        $"error in {kind} for path: '{path}': Unable to access invalid index: {key}: invalid index referenced");
                }

                parent.Insert(index, value);
                break;
            default:
                throw Missing(kind, role, path);
        }

        return document;
    }

    private static (JsonNode? Document, JsonNode? Removed) Remove(JsonNode? document, string kind, string path, string role)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Length == 0)
        {
            throw new PatchException($"{kind} operation does not apply: cannot remove the whole document");
        }

        var key = tokens[^1];
        switch (Parent(document, tokens))
        {
            case JsonObject parent when parent.TryGetPropertyValue(key, out var removed):
                parent.Remove(key);
                return (document, removed);
            case JsonArray parent when ExistingIndex(parent, key) is var index and >= 0:
                var element = parent[index];
                parent.RemoveAt(index);
                return (document, element);
            default:
                throw Missing(kind, role, path);
        }
    }

    private static JsonNode? Replace(JsonNode? document, string path, JsonNode? value)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Length == 0)
        {
            return value;
        }

        var key = tokens[^1];
        switch (Parent(document, tokens))
        {
            case JsonObject parent when parent.ContainsKey(key):
                parent[key] = value;
                return document;
            case JsonArray parent when ExistingIndex(parent, key) is var index and >= 0:
                parent[index] = value;
                return document;
            default:
                throw Missing("replace", "path", path);
        }
    }

    private static JsonNode? Move(JsonNode? document, string from, string path)
    {
        if (from == path)
        {
            return document;
        }

        if (path.StartsWith(from + "/", StringComparison.Ordinal))
        {
            throw new PatchException($"move operation does not apply: cannot move \"{from}\" into its own child \"{path}\"");
        }

        var (afterRemove, value) = Remove(document, "move", from, "from path");
        return Add(afterRemove, "move", path, value, "destination path");
    }

    private static JsonNode? Copy(JsonNode? document, string from, string path)
    {
        if (!TryGet(document, from, out var value))
        {
            throw Missing("copy", "from path", from);
        }

        return Add(document, "copy", path, value?.DeepClone(), "destination path");
    }

    private static JsonNode? Test(JsonNode? document, string path, JsonNode? expected)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Length > 0 && Parent(document, tokens) is not (JsonObject or JsonArray))
        {
            throw new PatchException($"test operation does not apply: is missing path: {path}: missing value");
        }

        if (!TryGet(document, path, out var actual) || !JsonEquality.DeepEquals(actual, expected))
        {
            throw new PatchException($"testing value {path} failed: test failed");
        }

        return document;
    }

    private static bool TryGet(JsonNode? document, string path, out JsonNode? value)
    {
        var node = document;
        foreach (var token in JsonPointer.Parse(path))
        {
            if (!TryChild(node, token, out node))
            {
                value = null;
                return false;
            }
        }

        value = node;
        return true;
    }

    private static JsonNode? Parent(JsonNode? document, string[] tokens)
    {
        var node = document;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            if (!TryChild(node, tokens[i], out node))
            {
                return null;
            }
        }

        return node;
    }

    private static bool TryChild(JsonNode? node, string token, out JsonNode? child)
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(token, out child);
            case JsonArray array when ExistingIndex(array, token) is var index and >= 0:
                child = array[index];
                return true;
            default:
                child = null;
                return false;
        }
    }

    private static int ExistingIndex(JsonArray array, string token)
    {
        var index = JsonPointer.ParseIndex(token);
        return index < array.Count ? index : -1;
    }

    private static PatchException Missing(string kind, string role, string path) =>
        new($"{kind} operation does not apply: doc is missing {role}: \"{path}\": missing value");

    private static string Path(JsonObject operation) =>
        StringMember(operation, "path") ?? throw new PatchException("operation missing path field: missing value");

    private static string From(JsonObject operation) =>
        StringMember(operation, "from") ?? throw new PatchException("operation, missing from field: missing value");

    private static JsonNode? Value(JsonObject operation, string kind) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException($"{kind} operation, missing value field: missing value");

    private static string? StringMember(JsonObject operation, string name) =>
        operation[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Describe(JsonNode? node) => node?.ToJsonString() ?? "null";
}
