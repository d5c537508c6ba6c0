using System.Text.Json.Nodes;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The parameters of resource operations. They are written out in every operation rather than referenced:
/// kubectl looks for <c>fieldValidation</c> among a PATCH operation's own parameters by name, and a
/// <c>$ref</c> parameter has no name there.
/// </summary>
internal static class OpenApiParameters
{
    private static readonly Dictionary<string, (string Type, string Description)> Query = new(StringComparer.Ordinal)
    {
        ["pretty"] = ("string", "If 'true', then the output is pretty printed."),
        ["dryRun"] = ("string", "When present, indicates that modifications should not be persisted. The only valid value is All."),
        ["fieldManager"] = ("string", "A name associated with the actor or entity that is making these changes."),
        ["fieldValidation"] = ("string", "How the server treats unknown or duplicate fields in the request body: Ignore, Warn or Strict."),
        ["force"] = ("boolean", "Force is going to \"force\" Apply requests: conflicting fields owned by other managers are re-acquired. Only valid for apply patches."),
        ["allowWatchBookmarks"] = ("boolean", "Requests watch events with type \"BOOKMARK\"."),
        ["continue"] = ("string", "The continue token returned by a previous, limited list call, to retrieve the next chunk."),
        ["fieldSelector"] = ("string", "A selector to restrict the list of returned objects by their fields."),
        ["labelSelector"] = ("string", "A selector to restrict the list of returned objects by their labels."),
        ["limit"] = ("integer", "The maximum number of objects to return in one list call."),
        ["resourceVersion"] = ("string", "Sets a constraint on what resource versions a request may be served from."),
        ["resourceVersionMatch"] = ("string", "Determines how resourceVersion is applied to list calls: Exact or NotOlderThan."),
        ["sendInitialEvents"] = ("boolean", "With watch=true, starts the watch stream with synthetic events for the current state."),
        ["timeoutSeconds"] = ("integer", "Timeout for the list/watch call."),
        ["watch"] = ("boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
        ["gracePeriodSeconds"] = ("integer", "The duration in seconds before the object should be deleted."),
        ["propagationPolicy"] = ("string", "Whether and how garbage collection will be performed: Orphan, Background or Foreground."),
    };

    public static IEnumerable<string> Read => ["pretty"];

    public static IEnumerable<string> List =>
    [
        "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "pretty", "resourceVersion",
        "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch",
    ];

    public static IEnumerable<string> Write => ["dryRun", "fieldManager", "fieldValidation", "pretty"];

    public static IEnumerable<string> Patch => ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"];

    public static IEnumerable<string> Delete => ["dryRun", "gracePeriodSeconds", "pretty", "propagationPolicy"];

    public static IEnumerable<string> DeleteCollection =>
    [
        "continue", "dryRun", "fieldSelector", "gracePeriodSeconds", "labelSelector", "limit", "pretty",
        "propagationPolicy", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds",
    ];

    public static JsonObject QueryParameter(string name)
    {
        var (type, description) = Query[name];
        return new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["description"] = description,
            ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
        };
    }

    public static JsonObject PathParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["description"] = description,
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
