namespace Gantry.Server.Controllers;

/// <summary>
/// The status a replica controller reports (ReplicaSet and ReplicationController share it), with
/// the failure of the last sync, which becomes a <c>ReplicaFailure</c> condition.
/// </summary>
public sealed record ReplicaCounts(
    int Replicas,
    int FullyLabeledReplicas,
    int ReadyReplicas,
    int AvailableReplicas,
    long ObservedGeneration,
    string? FailureReason = null,
    string? FailureMessage = null)
{
    /// <summary>
    /// Counts the owner's active pods: all of them, those carrying every template label, the ready
    /// and the available (ready for <paramref name="minReadySeconds"/>), as <c>calculateStatus</c>.
    /// </summary>
    public static ReplicaCounts Compute(
        IReadOnlyCollection<k8s.Models.V1Pod> activePods,
        IDictionary<string, string>? templateLabels,
        int minReadySeconds,
        long observedGeneration,
        DateTimeOffset now)
    {
        var fullyLabeled = 0;
        var ready = 0;
        var available = 0;
        foreach (var pod in activePods)
        {
            var labels = pod.Metadata.Labels;
            if ((templateLabels ?? new Dictionary<string, string>()).All(l => labels is not null && labels.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                fullyLabeled++;
            }

            if (PodState.IsReady(pod))
            {
                ready++;
                if (PodState.IsAvailable(pod, minReadySeconds, now))
                {
                    available++;
                }
            }
        }

        return new ReplicaCounts(activePods.Count, fullyLabeled, ready, available, observedGeneration);
    }
}
