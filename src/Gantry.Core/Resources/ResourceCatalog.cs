using Gantry.Core.Resources.Conversion;
using k8s.Models;

namespace Gantry.Core.Resources;

/// <summary>The built-in resource types Gantry serves, in discovery order.</summary>
public static class ResourceCatalog
{
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];
    private static readonly string[] CreateVerbs = ["create"];
    private static readonly string[] ConnectVerbs = ["create", "get"];
    private static readonly string[] ProxyVerbs = ["create", "delete", "get", "patch", "update"];
    private static readonly string[] All = ["all"];
    private static readonly string[] None = [];

    private static Subresource Status(string group, string kind, string version = "v1") => new("status", group, version, kind, StatusVerbs);

    private static Subresource Scale { get; } = new("scale", "autoscaling", "v1", "Scale", StatusVerbs);

    public static IReadOnlyList<ResourceType> Types { get; } =
    [
        new("", "v1", "Namespace", "namespaces", "namespace", false, typeof(V1Namespace), ["ns"], None,
            [Status("", "Namespace"), new("finalize", "", "v1", "Namespace", ["update"])]),
        new("", "v1", "Pod", "pods", "pod", true, typeof(V1Pod), ["po"], All,
            [
                Status("", "Pod"),
                new("binding", "", "v1", "Binding", CreateVerbs),
                new("ephemeralcontainers", "", "v1", "Pod", StatusVerbs),
                new("log", "", "v1", "Pod", ["get"]),
                new("exec", "", "v1", "PodExecOptions", ConnectVerbs),
                new("attach", "", "v1", "PodAttachOptions", ConnectVerbs),
                new("portforward", "", "v1", "PodPortForwardOptions", ConnectVerbs),
                new("proxy", "", "v1", "PodProxyOptions", ProxyVerbs),
                new("eviction", "policy", "v1", "Eviction", CreateVerbs),
            ]),
        new("", "v1", "Node", "nodes", "node", false, typeof(V1Node), ["no"], None,
            [Status("", "Node"), new("proxy", "", "v1", "NodeProxyOptions", ProxyVerbs)]),
        new("", "v1", "Service", "services", "service", true, typeof(V1Service), ["svc"], All,
            [Status("", "Service"), new("proxy", "", "v1", "ServiceProxyOptions", ProxyVerbs)]),
        new("", "v1", "Endpoints", "endpoints", "endpoints", true, typeof(V1Endpoints), ["ep"], None, []),
        new("", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller", true,
            typeof(V1ReplicationController), ["rc"], All, [Status("", "ReplicationController"), Scale]),
        new("", "v1", "ConfigMap", "configmaps", "configmap", true, typeof(V1ConfigMap), ["cm"], None, []),
        new("", "v1", "Secret", "secrets", "secret", true, typeof(V1Secret), None, None, []),
        new("", "v1", "Event", "events", "event", true, typeof(Corev1Event), ["ev"], None, []),
        new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, typeof(V1ServiceAccount), ["sa"], None,
            [new("token", "authentication.k8s.io", "v1", "TokenRequest", CreateVerbs)]),
        new("", "v1", "LimitRange", "limitranges", "limitrange", true, typeof(V1LimitRange), ["limits"], None, []),
        new("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", true, typeof(V1ResourceQuota), ["quota"], None,
            [Status("", "ResourceQuota")]),
        new("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false, typeof(V1PersistentVolume), ["pv"], None,
            [Status("", "PersistentVolume")]),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, typeof(V1PersistentVolumeClaim), ["pvc"], None,
            [Status("", "PersistentVolumeClaim")]),
        new("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, typeof(V1ReplicaSet), ["rs"], All,
            [Status("apps", "ReplicaSet"), Scale]),
        new("apps", "v1", "Deployment", "deployments", "deployment", true, typeof(V1Deployment), ["deploy"], All,
            [Status("apps", "Deployment"), Scale]),
        new("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true, typeof(V1DaemonSet), ["ds"], All, [Status("apps", "DaemonSet")]),
        new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, typeof(V1StatefulSet), ["sts"], All,
            [Status("apps", "StatefulSet"), Scale]),
        new("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true, typeof(V1ControllerRevision), None, None, []),
        new("batch", "v1", "Job", "jobs", "job", true, typeof(V1Job), None, All, [Status("batch", "Job")]),
        new("batch", "v1", "CronJob", "cronjobs", "cronjob", true, typeof(V1CronJob), ["cj"], All, [Status("batch", "CronJob")]),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true,
            typeof(V2HorizontalPodAutoscaler), ["hpa"], All, [Status("autoscaling", "HorizontalPodAutoscaler", "v2")]),
        new("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", "certificatesigningrequest", false,
            typeof(V1CertificateSigningRequest), ["csr"], None,
            [Status("certificates.k8s.io", "CertificateSigningRequest"), new("approval", "certificates.k8s.io", "v1", "CertificateSigningRequest", StatusVerbs)]),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true, typeof(V1Ingress), ["ing"], None,
            [Status("networking.k8s.io", "Ingress")]),
        new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", false, typeof(V1IngressClass), None, None, []),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true, typeof(V1NetworkPolicy), ["netpol"], None, []),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, typeof(V1PodDisruptionBudget), ["pdb"], None,
            [Status("policy", "PodDisruptionBudget")]),
        new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, typeof(V1Lease), None, None, []),
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", true, typeof(V1EndpointSlice), None, None, []),
        new("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", "runtimeclass", false, typeof(V1RuntimeClass), None, None, []),
        new("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", false, typeof(V1PriorityClass), ["pc"], None, []),
        new("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", false, typeof(V1StorageClass), ["sc"], None, []),
        // RBAC: kube gives these types no short names and no categories.
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false, typeof(V1ClusterRole), None, None, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, typeof(V1ClusterRoleBinding), None, None, []),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, typeof(V1Role), None, None, []),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true, typeof(V1RoleBinding), None, None, []),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false,
            typeof(V1CustomResourceDefinition), ["crd", "crds"], ["api-extensions"], [Status("apiextensions.k8s.io", "CustomResourceDefinition")]),
        new("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration",
            false, typeof(V1MutatingWebhookConfiguration), None, ["api-extensions"], []),
        new("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration",
            false, typeof(V1ValidatingWebhookConfiguration), None, ["api-extensions"], []),
        new("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "validatingadmissionpolicy",
            false, typeof(V1ValidatingAdmissionPolicy), None, ["api-extensions"], [Status("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")]),
        new("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding",
            false, typeof(V1ValidatingAdmissionPolicyBinding), None, ["api-extensions"], []),
    ];

    /// <summary>
    /// The versions served by converting the stored objects of a type in <see cref="Types"/>, as kube-apiserver serves
    /// an older version of a resource beside its storage version.
    /// </summary>
    public static IReadOnlyList<ResourceType> ConvertedTypes { get; } =
    [
        new("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true,
            typeof(V1HorizontalPodAutoscaler), ["hpa"], All, [Status("autoscaling", "HorizontalPodAutoscaler")])
        {
            Conversion = new HorizontalPodAutoscalerV1Conversion(),
        },
        new("events.k8s.io", "v1", "Event", "events", "event", true, typeof(Eventsv1Event), ["ev"], None, [])
        {
            Conversion = new EventsV1Conversion(),
            StorageGroup = "",
        },
    ];

    /// <summary>The key prefixes of the stored objects: one per type, and the one every custom resource is stored under.</summary>
    public static IReadOnlyList<string> KeyPrefixes { get; } = [.. Types.Select(t => t.KeyPrefix), ResourceType.CustomResourceKeyPrefix];

    /// <summary>Every type served: the stored ones, then the versions served by conversion.</summary>
    public static IReadOnlyList<ResourceType> ServedTypes { get; } = [.. Types, .. ConvertedTypes];

    /// <summary>
    /// Group versions in discovery order, the core group ("") first; a group's versions are together, the preferred
    /// (storage) version first.
    /// </summary>
    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        ServedTypes.Select(t => (t.Group, t.Version)).Distinct()
            .Select((gv, i) => (gv, i)).GroupBy(p => p.gv.Group).OrderBy(g => g.Min(p => p.i)).SelectMany(g => g.Select(p => p.gv)).ToList();

    private static readonly Dictionary<(string Group, string Version, string Plural), ResourceType> ByPath =
        ServedTypes.ToDictionary(t => (t.Group, t.Version, t.Plural));

    private static readonly Dictionary<(string ApiVersion, string Kind), ResourceType> ByKind =
        ServedTypes.ToDictionary(t => (t.ApiVersion, t.Kind));

    /// <summary>The type served at a group, version and plural: a stored type or a converted version of one.</summary>
    public static ResourceType? Find(string group, string version, string plural) =>
        ByPath.GetValueOrDefault((group, version, plural));

    public static ResourceType? FindByKind(string apiVersion, string kind) =>
        ByKind.GetValueOrDefault((apiVersion, kind));

    /// <summary>The stored type of a group's resource.</summary>
    public static ResourceType Get(string group, string plural) =>
        Types.First(t => t.Group == group && t.Plural == plural);

    /// <summary>The type a served type's objects are stored as: itself, unless it is a converted version.</summary>
    public static ResourceType StorageOf(ResourceType type) =>
        type.Conversion is null ? type : Get(type.StorageGroup ?? type.Group, type.Plural);
}
