namespace Gantry.Server.Controllers;

/// <summary>
/// The <c>ReplicaFailure</c> condition of ReplicaSets and ReplicationControllers: set while creating or
/// deleting pods fails, with the failure as reason and message, removed once a sync succeeds.
/// </summary>
internal static class ReplicaFailureCondition
{
    public const string Type = "ReplicaFailure";

    /// <summary>Updates <paramref name="conditions"/> in place; <paramref name="make"/> builds a new condition.</summary>
    public static List<TCondition>? Apply<TCondition>(
        List<TCondition>? conditions,
        ReplicaCounts counts,
        Func<TCondition, string> typeOf,
        Func<TCondition, (string? Reason, string? Message)> describe,
        Func<string, string, TCondition> make)
    {
        var others = (conditions ?? []).Where(c => typeOf(c) != Type).ToList();
        if (counts.FailureReason is null)
        {
            return others.Count == 0 ? null : others;
        }

        var existing = (conditions ?? []).FirstOrDefault(c => typeOf(c) == Type);
        if (existing is not null && describe(existing) == (counts.FailureReason, counts.FailureMessage))
        {
            others.Add(existing);
        }
        else
        {
            others.Add(make(counts.FailureReason, counts.FailureMessage ?? ""));
        }

        return others;
    }
}
