using System.Collections.Frozen;

namespace Gantry.Core.Patching;

/// <summary>
/// The merge semantics of the built-in kinds, transcribed from the <c>patchStrategy</c>,
/// <c>patchMergeKey</c>, <c>+listType</c> and <c>+listMapKey</c> markers in k8s.io/api's
/// types.go. Lists not listed here (tolerations, taints, endpoint subsets, …) are atomic there too.
/// </summary>
internal static class BuiltInSchemas
{
    private static readonly (string, string)[] ProtocolDefaultsToTcp = [("protocol", "TCP")];

    private static readonly PatchSchema ObjectMeta = PatchSchema.Struct(
        ("ownerReferences", PatchSchema.KeyedList("uid")),
        ("finalizers", PatchSchema.ScalarSet()));

    private static readonly PatchSchema Container = PatchSchema.Struct(
        ("ports", PatchSchema.KeyedList("containerPort", mapKeys: ["containerPort", "protocol"], keyDefaults: ProtocolDefaultsToTcp)),
        ("env", PatchSchema.KeyedList("name")),
        ("volumeMounts", PatchSchema.KeyedList("mountPath")),
        ("volumeDevices", PatchSchema.KeyedList("devicePath")));

    private static readonly PatchSchema PodSpec = PatchSchema.Struct(
        ("volumes", PatchSchema.KeyedList("name")),
        ("initContainers", PatchSchema.KeyedList("name", Container)),
        ("containers", PatchSchema.KeyedList("name", Container)),
        ("ephemeralContainers", PatchSchema.KeyedList("name", Container)),
        ("imagePullSecrets", PatchSchema.KeyedList("name")),
        ("hostAliases", PatchSchema.KeyedList("ip")),
        ("topologySpreadConstraints", PatchSchema.KeyedList("topologyKey", mapKeys: ["topologyKey", "whenUnsatisfiable"])),
        ("schedulingGates", PatchSchema.KeyedList("name")),
        ("resourceClaims", PatchSchema.KeyedList("name")));

    private static readonly PatchSchema Conditions = PatchSchema.KeyedList("type");

    private static readonly PatchSchema PodStatus = PatchSchema.Struct(
        ("conditions", Conditions),
        ("podIPs", PatchSchema.KeyedList("ip")),
        ("hostIPs", PatchSchema.MergeOnlyList("ip")),
        ("resourceClaimStatuses", PatchSchema.KeyedList("name")));

    private static readonly PatchSchema PodTemplateSpec = PatchSchema.Struct(("metadata", ObjectMeta), ("spec", PodSpec));

    private static readonly PatchSchema MetadataOnly = PatchSchema.Struct(("metadata", ObjectMeta));

    private static readonly PatchSchema Workload = PatchSchema.Struct(
        ("metadata", ObjectMeta),
        ("spec", PatchSchema.Struct(("template", PodTemplateSpec))),
        ("status", PatchSchema.Struct(("conditions", Conditions))));

    private static readonly FrozenDictionary<(string Group, string Kind), PatchSchema> Kinds =
        new Dictionary<(string Group, string Kind), PatchSchema>
        {
            [("", "Pod")] = PatchSchema.Struct(("metadata", ObjectMeta), ("spec", PodSpec), ("status", PodStatus)).WithStatusSubresource("ownerReferences"),
            [("", "PodTemplate")] = PatchSchema.Struct(("metadata", ObjectMeta), ("template", PodTemplateSpec)),
            [("", "ReplicationController")] = Workload.WithStatusSubresource(),
            [("apps", "ReplicaSet")] = Workload.WithStatusSubresource(),
            [("apps", "Deployment")] = Workload.WithStatusSubresource("labels"),
            [("apps", "DaemonSet")] = Workload.WithStatusSubresource(),
            [("apps", "StatefulSet")] = Workload.WithStatusSubresource(),
            [("batch", "Job")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("spec", PatchSchema.Struct(("template", PodTemplateSpec))),
                ("status", PatchSchema.Struct(("conditions", PatchSchema.MergeOnlyList("type"))))).WithStatusSubresource(),
            [("batch", "CronJob")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("spec", PatchSchema.Struct(("jobTemplate", PatchSchema.Struct(
                    ("metadata", ObjectMeta),
                    ("spec", PatchSchema.Struct(("template", PodTemplateSpec)))))))).WithStatusSubresource(),
            [("", "Service")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("spec", PatchSchema.Struct(
                    ("ports", PatchSchema.KeyedList("port", mapKeys: ["port", "protocol"], keyDefaults: ProtocolDefaultsToTcp)))),
                ("status", PatchSchema.Struct(("conditions", Conditions)))).WithStatusSubresource(),
            [("", "Node")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("spec", PatchSchema.Struct(("podCIDRs", PatchSchema.ScalarSet()))),
                ("status", PatchSchema.Struct(("conditions", Conditions), ("addresses", PatchSchema.KeyedList("type"))))).WithStatusSubresource(),
            [("", "Namespace")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("status", PatchSchema.Struct(("conditions", Conditions)))).WithStatusSubresource(),
            [("", "ServiceAccount")] = PatchSchema.Struct(("metadata", ObjectMeta), ("secrets", PatchSchema.KeyedList("name"))),
            [("", "Endpoints")] = MetadataOnly,
            [("", "ConfigMap")] = MetadataOnly,
            [("", "Secret")] = MetadataOnly,
            [("", "Event")] = MetadataOnly,
            [("", "LimitRange")] = MetadataOnly,
            [("", "ResourceQuota")] = PatchSchema.Struct(("metadata", ObjectMeta)).WithStatusSubresource(),
            [("", "PersistentVolume")] = PatchSchema.Struct(("metadata", ObjectMeta)).WithStatusSubresource(),
            [("", "PersistentVolumeClaim")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("status", PatchSchema.Struct(("conditions", Conditions)))).WithStatusSubresource(),
            [("autoscaling", "HorizontalPodAutoscaler")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("status", PatchSchema.Struct(("conditions", Conditions)))).WithStatusSubresource(),
            [("policy", "PodDisruptionBudget")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("status", PatchSchema.Struct(("conditions", Conditions)))).WithStatusSubresource(),
            [("apps", "ControllerRevision")] = MetadataOnly,
            [("coordination.k8s.io", "Lease")] = MetadataOnly,
            [("discovery.k8s.io", "EndpointSlice")] = MetadataOnly,
            [("networking.k8s.io", "NetworkPolicy")] = MetadataOnly,
            [("node.k8s.io", "RuntimeClass")] = MetadataOnly,
            [("scheduling.k8s.io", "PriorityClass")] = MetadataOnly,
            [("storage.k8s.io", "StorageClass")] = MetadataOnly,
            [("rbac.authorization.k8s.io", "ClusterRole")] = MetadataOnly,
            [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = MetadataOnly,
            [("rbac.authorization.k8s.io", "Role")] = MetadataOnly,
            [("rbac.authorization.k8s.io", "RoleBinding")] = MetadataOnly,
            // A status write keeps what kube's metav1.ResetObjectMetaForStatus restores from the stored policy.
            [("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")] = PatchSchema.Struct(
                ("metadata", ObjectMeta),
                ("spec", PatchSchema.Struct(("matchConditions", PatchSchema.KeyedList("name")), ("variables", PatchSchema.KeyedList("name")))))
                .WithStatusSubresource("labels", "annotations", "finalizers", "ownerReferences"),
            [("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding")] = MetadataOnly,
        }.ToFrozenDictionary();

    public static PatchSchema ForKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return ForGroupKind(slash < 0 ? "" : apiVersion[..slash], kind);
    }

    public static PatchSchema ForGroupKind(string group, string kind) => Kinds.GetValueOrDefault((group, kind)) ?? PatchSchema.Empty;
}
