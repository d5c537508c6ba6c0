using k8s.Models;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The strategic-merge-patch metadata of the model fields that have any (the <c>patchStrategy</c> and
/// <c>patchMergeKey</c> tags of k8s.io/api and apimachinery). The model classes do not carry it, and kubectl
/// computes client-side apply patches from what the OpenAPI v3 document says: a list published without its
/// merge key is replaced whole instead of merged by key. Fields not listed here are replaced (lists) or
/// merged recursively (objects).
/// </summary>
public static class PatchStrategies
{
    private const string Merge = "merge";
    private const string MergeRetainKeys = "merge,retainKeys";

    private static readonly Dictionary<(Type Model, string Field), PatchMetadata> Fields = new()
    {
        [(typeof(V1ObjectMeta), "ownerReferences")] = new(Merge, "uid"),
        [(typeof(V1ObjectMeta), "finalizers")] = new(Merge, null),

        [(typeof(V1Container), "ports")] = new(Merge, "containerPort"),
        [(typeof(V1Container), "env")] = new(Merge, "name"),
        [(typeof(V1Container), "volumeMounts")] = new(Merge, "mountPath"),
        [(typeof(V1Container), "volumeDevices")] = new(Merge, "devicePath"),
        [(typeof(V1EphemeralContainer), "ports")] = new(Merge, "containerPort"),
        [(typeof(V1EphemeralContainer), "env")] = new(Merge, "name"),
        [(typeof(V1EphemeralContainer), "volumeMounts")] = new(Merge, "mountPath"),
        [(typeof(V1EphemeralContainer), "volumeDevices")] = new(Merge, "devicePath"),
        [(typeof(V1ContainerStatus), "volumeMounts")] = new(Merge, "mountPath"),
        [(typeof(V1ContainerStatus), "allocatedResourcesStatus")] = new(Merge, "name"),
        [(typeof(V1PodSpec), "volumes")] = new(MergeRetainKeys, "name"),
        [(typeof(V1PodSpec), "initContainers")] = new(Merge, "name"),
        [(typeof(V1PodSpec), "containers")] = new(Merge, "name"),
        [(typeof(V1PodSpec), "ephemeralContainers")] = new(Merge, "name"),
        [(typeof(V1PodSpec), "imagePullSecrets")] = new(Merge, "name"),
        [(typeof(V1PodSpec), "hostAliases")] = new(Merge, "ip"),
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = new(Merge, "topologyKey"),
        [(typeof(V1PodSpec), "schedulingGates")] = new(Merge, "name"),
        [(typeof(V1PodSpec), "resourceClaims")] = new(MergeRetainKeys, "name"),
        [(typeof(V1PodSpec), "evictionResponders")] = new(Merge, "name"),
        [(typeof(V1PodStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1PodStatus), "hostIPs")] = new(Merge, "ip"),
        [(typeof(V1PodStatus), "podIPs")] = new(Merge, "ip"),
        [(typeof(V1PodStatus), "resourceClaimStatuses")] = new(MergeRetainKeys, "name"),
        [(typeof(V1PodStatus), "nodeAllocatableResourceClaimStatuses")] = new(Merge, "resourceClaimName"),
        [(typeof(V1NodeAllocatableResourceClaimStatus), "mapping")] = new(Merge, "name"),
        [(typeof(V1NodeAllocatableResourceClaimStatus), "overhead")] = new(Merge, "name"),
        [(typeof(V1VolumeHealthStatus), "healthConditions")] = new(Merge, "status"),
        [(typeof(V1PodVolumeHealth), "healthConditions")] = new(Merge, "status"),
        [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1ReplicationControllerStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1ServiceSpec), "ports")] = new(Merge, "port"),
        [(typeof(V1ServiceStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1ServiceAccount), "secrets")] = new(Merge, "name"),
        [(typeof(V1NodeSpec), "podCIDRs")] = new(Merge, null),
        [(typeof(V1NodeStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1NodeStatus), "addresses")] = new(Merge, "type"),
        [(typeof(V1NamespaceStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1ComponentStatus), "conditions")] = new(Merge, "type"),

        [(typeof(V1DeploymentSpec), "strategy")] = new("retainKeys", null),
        [(typeof(V1DeploymentStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1ReplicaSetStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1StatefulSetStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1DaemonSetStatus), "conditions")] = new(Merge, "type"),

        [(typeof(V1JobStatus), "conditions")] = new(Merge, "type"),
        [(typeof(V1JobSchedulingConfiguration), "resourceClaims")] = new(Merge, "name"),

        [(typeof(V1ValidatingAdmissionPolicySpec), "matchConditions")] = new(Merge, "name"),
        [(typeof(V1ValidatingAdmissionPolicySpec), "variables")] = new(Merge, "name"),
    };

    /// <summary>The metadata of the field named <paramref name="jsonName"/> of <paramref name="model"/>, if it has any.</summary>
    public static PatchMetadata? Find(Type model, string jsonName) => Fields.GetValueOrDefault((model, jsonName));
}
