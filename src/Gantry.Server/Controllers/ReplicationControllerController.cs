using Gantry.Core.Selectors;
using Gantry.Server.Informers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// The ReplicationController controller (core/v1): a <see cref="ReplicaManager{T}"/> over equality
/// selectors, which default to the template's labels.
/// </summary>
public sealed class ReplicationControllerController(
    SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<ReplicationControllerController> logger)
    : ReplicaManager<V1ReplicationController>(informers, client, events, time, logger, "replication-controller")
{
    protected override LabelSelector Selector(V1ReplicationController owner) =>
        owner.Spec?.Selector is { Count: > 0 } selector ? LabelSelector.FromSet(selector) : LabelSelector.Nothing;

    protected override int DesiredReplicas(V1ReplicationController owner) => owner.Spec?.Replicas ?? 1;

    protected override V1PodTemplateSpec? Template(V1ReplicationController owner) => owner.Spec?.Template;

    protected override int MinReadySeconds(V1ReplicationController owner) => owner.Spec?.MinReadySeconds ?? 0;

    protected override ReplicaCounts CurrentStatus(V1ReplicationController owner)
    {
        var status = owner.Status ?? new V1ReplicationControllerStatus();
        var failure = status.Conditions?.FirstOrDefault(c => c.Type == ReplicaFailureCondition.Type);
        return new ReplicaCounts(status.Replicas, status.FullyLabeledReplicas ?? 0, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0,
            status.ObservedGeneration ?? 0, failure?.Reason, failure?.Message);
    }

    protected override void ApplyStatus(V1ReplicationController owner, ReplicaCounts counts, DateTime now)
    {
        var status = owner.Status ??= new V1ReplicationControllerStatus();
        status.Replicas = counts.Replicas;
        status.FullyLabeledReplicas = counts.FullyLabeledReplicas;
        status.ReadyReplicas = counts.ReadyReplicas;
        status.AvailableReplicas = counts.AvailableReplicas;
        status.ObservedGeneration = counts.ObservedGeneration;
        status.Conditions = ReplicaFailureCondition.Apply(status.Conditions?.ToList(), counts, c => c.Type, c => (c.Reason, c.Message),
            (reason, message) => new V1ReplicationControllerCondition { Type = ReplicaFailureCondition.Type, Status = "True", Reason = reason, Message = message, LastTransitionTime = now });
    }
}
