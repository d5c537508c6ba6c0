using System.Text.Json.Nodes;
using Gantry.Core.Patching;

namespace Gantry.Server.Api;

/// <summary>
/// The 409 a conflicting server-side apply gets: kubectl prints its causes and its advice on
/// <c>--force-conflicts</c> from the <c>FieldManagerConflict</c> causes.
/// </summary>
public static class ApplyConflicts
{
    public static ApiException ToException(ResourcePath path, ApplyResult result)
    {
        var causes = new JsonArray();
        foreach (var conflict in result.Conflicts)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = conflict.Message, ["field"] = conflict.Field });
        }

        var details = new JsonObject
        {
            ["name"] = path.Name,
            ["group"] = path.Type.Group.Length == 0 ? null : path.Type.Group,
            ["kind"] = path.Type.Plural,
            ["causes"] = causes,
        };
        return new ApiException(409, "Conflict", result.ConflictMessage, details);
    }
}
