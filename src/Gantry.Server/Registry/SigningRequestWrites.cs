using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Registry;

/// <summary>
/// What the writes of a CertificateSigningRequest's subresources take from the writer, as kube's strategies for them
/// decide it, keeping approval apart from issuance: <c>approval</c> takes the status's conditions alone; <c>status</c>
/// takes the rest of the status but keeps the stored <c>Approved</c> and <c>Denied</c> conditions. Either fills in the
/// times a condition leaves out (<c>populateConditionTimestamps</c>): its last update is now, and its last transition
/// is the stored condition's while the status stays, else now.
/// </summary>
internal static class SigningRequestWrites
{
    public const string Approval = "approval";

    private static readonly string[] ApprovalConditions = ["Approved", "Denied"];

    public static bool Applies(ResourceType type) => type is { Group: "certificates.k8s.io", Kind: "CertificateSigningRequest" };

    /// <summary>The stored object with the writer's conditions.</summary>
    public static JsonObject KeepForApproval(JsonObject current, JsonObject incoming, DateTimeOffset now)
    {
        var kept = current.DeepClone().AsObject();
        var status = kept["status"] as JsonObject ?? [];
        kept["status"] = status;
        var conditions = Conditions(incoming);
        if (conditions.Count > 0)
        {
            status["conditions"] = Stamped(conditions, Conditions(current), now);
        }
        else
        {
            status.Remove("conditions");
        }

        return kept;
    }

    /// <summary>A status write (<see cref="StatusWrites.Keep"/> already applied) with the stored approval conditions.</summary>
    public static JsonObject KeepForStatus(JsonObject current, JsonObject next, DateTimeOffset now)
    {
        var stored = Conditions(current);
        var conditions = new JsonArray();
        foreach (var condition in stored.Where(IsApproval))
        {
            conditions.Add(condition!.DeepClone());
        }

        foreach (var condition in Conditions(next).Where(c => !IsApproval(c)))
        {
            conditions.Add(condition!.DeepClone());
        }

        if (next["status"] is not JsonObject status)
        {
            status = [];
            next["status"] = status;
        }

        if (conditions.Count > 0)
        {
            status["conditions"] = Stamped(conditions, stored, now);
        }
        else
        {
            status.Remove("conditions");
        }

        return next;
    }

    private static JsonArray Stamped(JsonArray conditions, JsonArray stored, DateTimeOffset now)
    {
        var stamp = ObjectMetadata.Timestamp(now);
        var result = new JsonArray();
        foreach (var node in conditions)
        {
            if (node is not JsonObject condition)
            {
                result.Add(node?.DeepClone());
                continue;
            }

            var copy = condition.DeepClone().AsObject();
            if (copy["lastUpdateTime"] is null)
            {
                copy["lastUpdateTime"] = stamp;
            }

            if (copy["lastTransitionTime"] is null)
            {
                var before = stored.OfType<JsonObject>().FirstOrDefault(c => Text(c, "type") == Text(copy, "type"));
                copy["lastTransitionTime"] = before is not null && Text(before, "status") == Text(copy, "status") && before["lastTransitionTime"] is { } kept
                    ? kept.DeepClone()
                    : stamp;
            }

            result.Add(copy);
        }

        return result;
    }

    private static bool IsApproval(JsonNode? condition) => ApprovalConditions.Contains(Text(condition, "type"));

    private static JsonArray Conditions(JsonObject obj) => obj["status"]?["conditions"] as JsonArray ?? [];

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
