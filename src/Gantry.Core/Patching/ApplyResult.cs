namespace Gantry.Core.Patching;

/// <summary>
/// The outcome of <see cref="ServerSideApply.Apply"/>: the new object, or the conflicts that
/// stopped it (then <see cref="Object"/> is null and nothing changed).
/// </summary>
public sealed record ApplyResult(System.Text.Json.Nodes.JsonObject? Object, IReadOnlyList<ApplyConflict> Conflicts)
{
    public bool Succeeded => Conflicts.Count == 0;

    /// <summary>
    /// The API server's message for a 409 apply conflict, e.g.
    /// <c>Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas</c>.
    /// </summary>
    public string ConflictMessage
    {
        get
        {
            if (Conflicts.Count == 0)
            {
                return "";
            }

            if (Conflicts.Count == 1)
            {
                return $"Apply failed with 1 conflict: {Conflicts[0].Message}: {Conflicts[0].Field}";
            }

            var lines = Conflicts
                .GroupBy(c => c.ManagerDescription)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Select(c => $"- {c.Field}").Prepend($"conflicts with {g.Key}:"));
            return $"Apply failed with {Conflicts.Count} conflicts: {string.Join('\n', lines)}";
        }
    }
}
