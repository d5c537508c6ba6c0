using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A deployment's status and conditions as pure functions (sync.go <c>calculateStatus</c>,
/// progress.go <c>syncRolloutStatus</c>, deployment_util.go's condition helpers). <c>kubectl rollout
/// status</c> reads exactly these fields, so they follow Kubernetes to the reason and message.
/// </summary>
public static class DeploymentStatusMath
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string NewReplicaSetReason = "NewReplicaSetCreated";
    public const string FoundNewReplicaSetReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string PausedReason = "DeploymentPaused";
    public const string ResumedReason = "DeploymentResumed";
    public const string FailedReplicaSetCreateReason = "ReplicaSetCreateError";
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    public static bool HasProgressDeadline(V1Deployment d) => d.Spec?.ProgressDeadlineSeconds is { } s && s != int.MaxValue;

    public static V1DeploymentCondition? Get(V1DeploymentStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static V1DeploymentCondition New(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type, Status = status, Reason = reason, Message = message, LastUpdateTime = now, LastTransitionTime = now,
    };

    /// <summary>Replaces the condition of its type; the same status and reason change nothing; the same status keeps the transition time.</summary>
    public static void Set(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = Get(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type != condition.Type), condition];
    }

    public static void Remove(V1DeploymentStatus status, string type)
    {
        var rest = (status.Conditions ?? []).Where(c => c.Type != type).ToList();
        status.Conditions = rest.Count == 0 ? null : rest;
    }

    /// <summary>The counts over the deployment's replica sets and the Available condition (<c>calculateStatus</c>).</summary>
    public static V1DeploymentStatus Calculate(V1Deployment d, IReadOnlyCollection<V1ReplicaSet> all, V1ReplicaSet? newRs, DateTime now)
    {
        var available = all.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var total = all.Sum(RolloutMath.SpecReplicas);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = all.Sum(rs => rs.Status?.Replicas ?? 0),
            UpdatedReplicas = newRs?.Status?.Replicas ?? 0,
            ReadyReplicas = all.Sum(rs => rs.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, total - available),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions?.Select(Clone).ToList(),
        };
        Set(status, available >= RolloutMath.Desired(d) - RolloutMath.MaxUnavailable(d)
            ? New(Available, "True", MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : New(Available, "False", MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    /// <summary>All desired replicas are updated and available, and the status is of the current spec (<c>DeploymentComplete</c>).</summary>
    public static bool IsComplete(V1Deployment d, V1DeploymentStatus status) =>
        (status.UpdatedReplicas ?? 0) == RolloutMath.Desired(d) && (status.Replicas ?? 0) == RolloutMath.Desired(d)
        && (status.AvailableReplicas ?? 0) == RolloutMath.Desired(d) && (status.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0);

    /// <summary>More updated, ready or available replicas, or fewer old ones, than before (<c>DeploymentProgressing</c>).</summary>
    public static bool IsProgressing(V1DeploymentStatus old, V1DeploymentStatus current) =>
        (current.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0)
        || (current.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0)
        || (current.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0)
        || (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0) > (current.Replicas ?? 0) - (current.UpdatedReplicas ?? 0);

    /// <summary>No progress within progressDeadlineSeconds of the last progress (<c>DeploymentTimedOut</c>).</summary>
    public static bool IsTimedOut(V1Deployment d, V1DeploymentStatus status, DateTime now)
    {
        if (!HasProgressDeadline(d) || Get(status, Progressing) is not { } condition || condition.Reason == NewReplicaSetAvailableReason)
        {
            return false;
        }

        if (condition.Reason == TimedOutReason)
        {
            return true;
        }

        return condition.LastUpdateTime is { } from && from.AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) < now;
    }

    /// <summary>The rollout status to write: counts plus the Progressing condition's verdict (<c>syncRolloutStatus</c>).</summary>
    public static V1DeploymentStatus RolloutStatus(V1Deployment d, IReadOnlyCollection<V1ReplicaSet> all, V1ReplicaSet? newRs, DateTime now)
    {
        var status = Calculate(d, all, newRs, now);
        var old = d.Status ?? new V1DeploymentStatus();
        if (HasProgressDeadline(d))
        {
            var current = Get(status, Progressing);
            var complete = status.Replicas == status.UpdatedReplicas && current?.Reason == NewReplicaSetAvailableReason;
            if (!complete)
            {
                var subject = newRs is null ? $"Deployment \"{d.Name()}\"" : $"ReplicaSet \"{newRs.Name()}\"";
                if (IsComplete(d, status))
                {
                    Set(status, New(Progressing, "True", NewReplicaSetAvailableReason, $"{subject} has successfully progressed.", now));
                }
                else if (IsProgressing(old, status))
                {
                    var condition = New(Progressing, "True", ReplicaSetUpdatedReason, $"{subject} is progressing.", now);
                    if (current is not null)
                    {
                        if (current.Status == "True")
                        {
                            condition.LastTransitionTime = current.LastTransitionTime;
                        }

                        Remove(status, Progressing);
                    }

                    Set(status, condition);
                }
                else if (IsTimedOut(d, status, now))
                {
                    Set(status, New(Progressing, "False", TimedOutReason, $"{subject} has timed out progressing.", now));
                }
            }
        }

        var failure = (newRs is null ? all : [newRs, .. all.Where(rs => rs != newRs)])
            .Select(rs => rs.Status?.Conditions?.FirstOrDefault(c => c.Type == ReplicaFailure))
            .FirstOrDefault(c => c is not null);
        if (failure is not null)
        {
            Set(status, new V1DeploymentCondition
            {
                Type = ReplicaFailure, Status = failure.Status, Reason = failure.Reason, Message = failure.Message,
                LastUpdateTime = failure.LastTransitionTime, LastTransitionTime = failure.LastTransitionTime,
            });
        }
        else
        {
            Remove(status, ReplicaFailure);
        }

        return status;
    }

    /// <summary>When a rollout still in progress must be looked at again to notice its deadline, or null (<c>requeueStuckDeployment</c>).</summary>
    public static TimeSpan? RecheckAfter(V1Deployment d, V1DeploymentStatus status, DateTime now)
    {
        var condition = Get(status, Progressing);
        if (!HasProgressDeadline(d) || condition is null || condition.Reason is NewReplicaSetAvailableReason or TimedOutReason
            || IsComplete(d, status) || condition.LastUpdateTime is not { } from)
        {
            return null;
        }

        var after = from.AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) - now;
        return after < TimeSpan.FromSeconds(1) ? TimeSpan.Zero : after;
    }

    /// <summary>Whether two statuses differ in anything the API would store.</summary>
    public static bool Differs(V1DeploymentStatus? a, V1DeploymentStatus? b) =>
        KubernetesJson.Serialize(a ?? new V1DeploymentStatus()) != KubernetesJson.Serialize(b ?? new V1DeploymentStatus());

    private static V1DeploymentCondition Clone(V1DeploymentCondition c) => new()
    {
        Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastUpdateTime = c.LastUpdateTime, LastTransitionTime = c.LastTransitionTime,
    };
}
