using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// The options object of a CONNECT to a pod (<c>PodExecOptions</c>, <c>PodAttachOptions</c>, <c>PodPortForwardOptions</c>)
/// as kube decodes it from the query, for the admission webhooks that see the connection.
/// </summary>
public static class ConnectOptions
{
    public static JsonObject Of(string subresource, IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var options = new JsonObject { ["apiVersion"] = "v1" };
        switch (subresource)
        {
            case "portforward":
                options["kind"] = "PodPortForwardOptions";
                // As kube's conversion of a query's ports: each value a comma-separated list.
                AddList(options, "ports", query["ports"].OfType<string>().SelectMany(v => v.Split(',')), port => int.TryParse(port, out var number) ? number : null);
                return options;
            case "exec":
                options["kind"] = "PodExecOptions";
                break;
            default:
                options["kind"] = "PodAttachOptions";
                break;
        }

        foreach (var stream in new[] { "stdin", "stdout", "stderr", "tty" })
        {
            // As kube converts a query's boolean: anything but "0" and "false" is true.
            if (query[stream].FirstOrDefault() is { } value)
            {
                options[stream] = !(value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase));
            }
        }

        if (query["container"].FirstOrDefault() is { Length: > 0 } container)
        {
            options["container"] = container;
        }

        if (subresource == "exec")
        {
            AddList(options, "command", query["command"].OfType<string>(), argument => (JsonNode?)argument);
        }

        return options;
    }

    private static void AddList(JsonObject options, string name, IEnumerable<string> values, Func<string, JsonNode?> item)
    {
        var list = new JsonArray([.. values.Select(item).Where(i => i is not null)]);
        if (list.Count > 0)
        {
            options[name] = list;
        }
    }
}
