using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>What the StatefulSet controller does to one pod: the verbs of kube's <c>StatefulPodControl</c>.</summary>
public enum StatefulPodAction
{
    /// <summary><c>CreateStatefulPod</c>: the pod is new, built for its ordinal.</summary>
    Create,

    /// <summary><c>DeleteStatefulPod</c>: failed or finished, condemned by a scale down, or of an old revision.</summary>
    Delete,

    /// <summary><c>UpdateStatefulPod</c>: the pod is given the identity of its ordinal (an adopted pod lacks it).</summary>
    Update,

    /// <summary><c>createMissingPersistentVolumeClaims</c>: a Pending pod's claims, one deleted since the pod was made, made again.</summary>
    CreateMissingClaims,

    /// <summary><c>UpdatePodClaimForRetentionPolicy</c>: the pod's claims owned as the set's retention policy says now.</summary>
    UpdateClaimOwners,
}

/// <summary>One step of a StatefulSet's sync, in the order kube takes them.</summary>
public sealed record StatefulSetStep(StatefulPodAction Action, V1Pod Pod);
