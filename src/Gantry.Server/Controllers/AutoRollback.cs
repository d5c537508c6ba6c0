using System.Globalization;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Gantry's opt-in automatic rollback. A deployment annotated
/// <c>deployment.gantry.io/auto-rollback: "true"</c> whose rollout exceeds its
/// <c>progressDeadlineSeconds</c> (Progressing=False, reason <c>ProgressDeadlineExceeded</c>) is rolled
/// back to its previous revision exactly as <c>kubectl rollout undo</c> would: the previous replica
/// set's template and annotations are written to the deployment, and the rollout goes on from there.
/// The replica set that failed is marked with <c>deployment.gantry.io/auto-rolled-back-revision</c>;
/// a marked revision is never a rollback target and is never rolled back from twice, so two failing
/// revisions cannot roll back and forth forever. Kubernetes has no such feature: without the
/// annotation a deployment that exceeds its deadline only reports it, as in Kubernetes.
/// </summary>
public static class AutoRollback
{
    public const string EnabledAnnotation = "deployment.gantry.io/auto-rollback";
    public const string MarkerAnnotation = "deployment.gantry.io/auto-rolled-back-revision";

    public static bool IsEnabled(V1Deployment d) =>
        d.Metadata.Annotations?.TryGetValue(EnabledAnnotation, out var value) == true && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The replica set to roll back to, or null when there is nothing to do: the rollout has not timed
    /// out, the failed revision was already rolled back from, or no unmarked older revision exists.
    /// </summary>
    public static V1ReplicaSet? Target(V1Deployment d, V1DeploymentStatus status, V1ReplicaSet? newRs, IEnumerable<V1ReplicaSet> oldRss)
    {
        if (!IsEnabled(d) || d.Spec?.Paused == true || newRs is null
            || DeploymentStatusMath.Get(status, DeploymentStatusMath.Progressing)?.Reason != DeploymentStatusMath.TimedOutReason
            || IsMarked(newRs))
        {
            return null;
        }

        return oldRss.Where(rs => !IsMarked(rs) && DeploymentRevisions.Revision(rs.Metadata) > 0)
            .OrderByDescending(rs => DeploymentRevisions.Revision(rs.Metadata))
            .FirstOrDefault();
    }

    /// <summary>Whether the replica set was rolled back from at its current revision.</summary>
    public static bool IsMarked(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(MarkerAnnotation, out var revision) == true
        && revision == DeploymentRevisions.Revision(rs.Metadata).ToString(CultureInfo.InvariantCulture);

    public static void Mark(V1ReplicaSet rs, long revision)
    {
        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        rs.Metadata.Annotations[MarkerAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
    }

    public static string Message(V1Deployment d, V1ReplicaSet failed, V1ReplicaSet target) =>
        $"Rolled back deployment \"{d.Name()}\" to revision {DeploymentRevisions.Revision(target.Metadata)}: " +
        $"ReplicaSet \"{failed.Name()}\" exceeded its progress deadline";
}
