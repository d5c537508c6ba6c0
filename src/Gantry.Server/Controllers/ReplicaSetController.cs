using Gantry.Core.Selectors;
using Gantry.Server.Informers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>The ReplicaSet controller (apps/v1): a <see cref="ReplicaManager{T}"/> over set-based selectors.</summary>
public sealed class ReplicaSetController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<ReplicaSetController> logger)
    : ReplicaManager<V1ReplicaSet>(informers, client, events, time, logger, "replicaset-controller")
{
    protected override LabelSelector Selector(V1ReplicaSet owner)
    {
        try
        {
            return LabelSelector.FromModel(owner.Spec?.Selector);
        }
        catch (SelectorParseException)
        {
            return LabelSelector.Nothing;
        }
    }

    protected override int DesiredReplicas(V1ReplicaSet owner) => owner.Spec?.Replicas ?? 1;

    protected override V1PodTemplateSpec? Template(V1ReplicaSet owner) => owner.Spec?.Template;

    protected override int MinReadySeconds(V1ReplicaSet owner) => owner.Spec?.MinReadySeconds ?? 0;

    protected override ReplicaCounts CurrentStatus(V1ReplicaSet owner)
    {
        var status = owner.Status ?? new V1ReplicaSetStatus();
        var failure = status.Conditions?.FirstOrDefault(c => c.Type == ReplicaFailureCondition.Type);
        return new ReplicaCounts(status.Replicas, status.FullyLabeledReplicas ?? 0, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0,
            status.ObservedGeneration ?? 0, failure?.Reason, failure?.Message);
    }

    protected override void ApplyStatus(V1ReplicaSet owner, ReplicaCounts counts, DateTime now)
    {
        var status = owner.Status ??= new V1ReplicaSetStatus();
        status.Replicas = counts.Replicas;
        status.FullyLabeledReplicas = counts.FullyLabeledReplicas;
        status.ReadyReplicas = counts.ReadyReplicas;
        status.AvailableReplicas = counts.AvailableReplicas;
        status.ObservedGeneration = counts.ObservedGeneration;
        status.Conditions = ReplicaFailureCondition.Apply(status.Conditions?.ToList(), counts, c => c.Type, c => (c.Reason, c.Message),
            (reason, message) => new V1ReplicaSetCondition { Type = ReplicaFailureCondition.Type, Status = "True", Reason = reason, Message = message, LastTransitionTime = now });
    }
}
