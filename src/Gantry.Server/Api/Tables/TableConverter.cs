using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Discovery;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// Server-side printing: turns stored objects into the <c>meta.k8s.io/v1</c> Table kubectl asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io, …</c>, with the columns the Kubernetes API server
/// prints for each kind. Send tables with <see cref="ContentType"/>. The input objects are not modified.
/// </summary>
public static class TableConverter
{
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>
    /// True when the client prefers a Table over the plain object, as kubectl's human-readable <c>get</c> does.
    /// Tables are only produced in JSON; v1beta1 requests get a v1 Table, which every kubectl reads.
    /// </summary>
    public static bool WantsTable(string? accept)
    {
        foreach (var range in MediaRange.ParseAccept(accept))
        {
            if (!range.AcceptsJson)
            {
                continue;
            }

            var kind = range.Parameter("as");
            if (kind is null)
            {
                return false;
            }

            if (kind == "Table" && range.Parameter("g") == "meta.k8s.io" && range.Parameter("v") is "v1" or "v1beta1")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the <c>includeObject</c> query parameter; absent means <see cref="IncludeObjectPolicy.Metadata"/>.</summary>
    public static bool TryParseIncludeObject(string? value, out IncludeObjectPolicy policy)
    {
        policy = IncludeObjectPolicy.Metadata;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        return char.IsLetter(value[0]) && Enum.TryParse(value, ignoreCase: false, out policy);
    }

    /// <summary>
    /// The Table of a list: one row per object, and the list's <paramref name="resourceVersion"/> and
    /// <paramref name="continueToken"/> (each omitted when null) in the Table's metadata.
    /// </summary>
    public static JsonObject ForList(
        ResourceType type,
        IReadOnlyList<JsonObject> objects,
        DateTimeOffset now,
        IncludeObjectPolicy includeObject,
        string? resourceVersion,
        string? continueToken,
        Func<JsonObject, JsonObject>? served = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(objects);
        var metadata = new JsonObject();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        return Table(type, objects, now, includeObject, metadata, served);
    }

    /// <summary>
    /// The one-row Table of a single object: the answer to a GET of one object, and the object of each watch
    /// event when the watch asked for tables. It carries the object's resourceVersion and always the column
    /// definitions (kubectl accepts them on every event).
    /// </summary>
    public static JsonObject ForObject(
        ResourceType type, JsonObject obj, DateTimeOffset now, IncludeObjectPolicy includeObject, Func<JsonObject, JsonObject>? served = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = new JsonObject();
        if (JsonRead.String(obj, "metadata", "resourceVersion") is { Length: > 0 } resourceVersion)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return Table(type, [obj], now, includeObject, metadata, served);
    }

    private static JsonObject Table(
        ResourceType type,
        IReadOnlyList<JsonObject> objects,
        DateTimeOffset now,
        IncludeObjectPolicy includeObject,
        JsonObject metadata,
        Func<JsonObject, JsonObject>? served)
    {
        var printer = TablePrinters.For(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(printer.Cells(obj, now)) };
            if (printer.Conditions?.Invoke(obj) is { } conditions)
            {
                row["conditions"] = conditions;
            }

            if (RowObject(type, obj, includeObject, served) is { } rowObject)
            {
                row["object"] = rowObject;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(printer.Columns.Select(c => (JsonNode?)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = rows,
        };
    }

    /// <summary>
    /// What kubectl reads besides the cells: metadata for the NAMESPACE column, --show-labels and -L, the
    /// whole object for --sort-by.
    /// </summary>
    /// <summary>
    /// What a row carries of its object. The cells are printed from the stored version; the object itself is shown in
    /// the version the request named (<paramref name="served"/> converts it, for a version served by conversion).
    /// </summary>
    private static JsonObject? RowObject(ResourceType type, JsonObject obj, IncludeObjectPolicy includeObject, Func<JsonObject, JsonObject>? served)
    {
        switch (includeObject)
        {
            case IncludeObjectPolicy.None:
                return null;
            case IncludeObjectPolicy.Object:
                var copy = served is null ? obj.DeepClone().AsObject() : served(obj);
                copy["kind"] ??= type.Kind;
                copy["apiVersion"] ??= type.ApiVersion;
                return copy;
            default:
                return new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
                };
        }
    }
}
