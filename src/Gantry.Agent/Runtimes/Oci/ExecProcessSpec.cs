using System.Text.Json.Nodes;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>
/// The process.json of a `runc exec --process`: the container's own process from its config.json (user, capabilities,
/// environment, working directory, limits), as runc exec takes it without one, with the command's arguments. On a terminal
/// it adds TERM, as containerd does, and the client's size as the OCI consoleSize, which runc sets on the container's
/// terminal before the command starts: set afterwards, as runc does for a size it only knows from its own terminal, a
/// quick command such as `stty size` can read 0 × 0.
/// </summary>
internal static class ExecProcessSpec
{
    /// <exception cref="InvalidDataException">The config has no process.</exception>
    public static string Build(string configJson, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var process = JsonNode.Parse(configJson)?["process"]?.AsObject()
            ?? throw new InvalidDataException("the container's config.json has no process");
        process["args"] = new JsonArray([.. request.Command.Select(argument => (JsonNode?)JsonValue.Create(argument))]);
        process["terminal"] = request.Tty;
        process.Remove("consoleSize");
        if (request.Tty)
        {
            (process["env"] ??= new JsonArray()).AsArray().Add("TERM=xterm");
            if (request.Columns > 0 && request.Rows > 0)
            {
                process["consoleSize"] = new JsonObject { ["height"] = (int)request.Rows, ["width"] = (int)request.Columns };
            }
        }

        return process.ToJsonString();
    }
}
