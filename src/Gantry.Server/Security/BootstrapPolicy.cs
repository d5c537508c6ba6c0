using System.Text.Json.Nodes;

namespace Gantry.Server.Security;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings kube-apiserver's bootstrappolicy creates at start, those Gantry's users
/// meet: <c>cluster-admin</c>, the user-facing <c>admin</c>, <c>edit</c> and <c>view</c> (aggregated from the
/// <c>system:aggregate-to-*</c> roles and whatever else carries their labels), discovery, self-review and public
/// information for every user, <c>system:auth-delegator</c> and <c>system:node</c>. Each carries kube's bootstrapping label and the autoupdate
/// annotation, which says whether a start may add back what kube's policy has and the stored object lost.
/// </summary>
public static class BootstrapPolicy
{
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";

    public const string AutoupdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";

    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";

    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] Read = ["get", "list", "watch"];

    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];

    private static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>A bootstrap ClusterRole: its rules, or the labels of the roles it aggregates (then its rules are theirs).</summary>
    public sealed record ClusterRole(string Name, IReadOnlyList<PolicyRule> Rules, IReadOnlyDictionary<string, string>? Labels = null, string? AggregatesLabel = null);

    /// <summary>A bootstrap ClusterRoleBinding of the ClusterRole of the same name to groups.</summary>
    public sealed record ClusterRoleBinding(string Name, IReadOnlyList<string> Groups);

    public static IReadOnlyList<ClusterRole> ClusterRoles { get; } =
    [
        new("cluster-admin", [new(["*"], ["*"], ["*"]), PolicyRule.ForUrls(["*"], "*")]),
        new("system:discovery", [PolicyRule.ForUrls(["get"], "/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*")]),
        new("system:basic-user",
        [
            new(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            new(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
        // For a component that delegates authentication and authorization to this server (an aggregated API server,
        // a proxy in front of metrics); nothing binds it by default.
        new("system:auth-delegator",
        [
            new(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            new(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
        ]),
        new("system:public-info-viewer", [PolicyRule.ForUrls(["get"], "/livez", "/readyz", "/healthz", "/version", "/version/")]),
        new("admin", [], AggregatesLabel: AggregateToAdmin),
        new("edit", [], Labels: Label(AggregateToAdmin), AggregatesLabel: AggregateToEdit),
        new("view", [], Labels: Label(AggregateToEdit), AggregatesLabel: AggregateToView),
        new("system:aggregate-to-admin",
        [
            new(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            new(ReadWrite, ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]),
        ], Label(AggregateToAdmin)),
        new("system:aggregate-to-edit",
        [
            new(Read, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
            new(["impersonate"], [""], ["serviceaccounts"]),
            new(Write, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
            new(["create"], [""], ["pods/eviction"]),
            new(Write, [""], ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets"]),
            new(["create"], [""], ["serviceaccounts/token"]),
            new(Write, ["apps"], ["statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"]),
            new(Write, ["autoscaling"], ["horizontalpodautoscalers"]),
            new(Write, ["batch"], ["jobs", "cronjobs"]),
            new(Write, ["extensions"], ["daemonsets", "deployments", "deployments/scale", "deployments/rollback", "ingresses", "replicasets", "replicasets/scale", "replicationcontrollers/scale", "networkpolicies"]),
            new(Write, ["policy"], ["poddisruptionbudgets"]),
            new(Write, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
        ], Label(AggregateToEdit)),
        new("system:aggregate-to-view",
        [
            new(Read, [""], ["pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"]),
            new(Read, [""], ["limitranges", "resourcequotas", "bindings", "events", "pods/status", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"]),
            new(Read, [""], ["namespaces"]),
            new(Read, ["discovery.k8s.io"], ["endpointslices"]),
            new(Read, ["apps"], ["controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"]),
            new(Read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            new(Read, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
            new(Read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale", "networkpolicies"]),
            new(Read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            new(Read, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
        ], Label(AggregateToView)),
        // What a kubelet needs; Gantry's node authorizer (NodeRole) scopes it to each node's own objects, so, as in
        // kube since 1.8, nothing binds it.
        new("system:node",
        [
            new(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            new(["create"], ["authorization.k8s.io"], ["subjectaccessreviews", "localsubjectaccessreviews"]),
            new(Read, [""], ["services"]),
            new(["create", "get", "list", "watch"], [""], ["nodes"]),
            new(["update", "patch"], [""], ["nodes/status"]),
            new(["update", "patch"], [""], ["nodes"]),
            new(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]),
            new(Read, [""], ["pods"]),
            new(["create", "delete"], [""], ["pods"]),
            new(["update", "patch"], [""], ["pods/status"]),
            new(["create"], [""], ["pods/eviction"]),
            new(Read, [""], ["secrets", "configmaps"]),
            new(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"]),
            new(["get"], [""], ["endpoints"]),
            new(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"]),
            new(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
            new(["get"], ["storage.k8s.io"], ["volumeattachments"]),
            new(["create"], [""], ["serviceaccounts/token"]),
            // Expanding a volume in use: the kubelet records the new size in the claim's status.
            new(["get", "update", "patch"], [""], ["persistentvolumeclaims/status"]),
            new(Read, ["node.k8s.io"], ["runtimeclasses"]),
        ]),
    ];

    public static IReadOnlyList<ClusterRoleBinding> ClusterRoleBindings { get; } =
    [
        new("cluster-admin", [RequestUser.Masters]),
        new("system:discovery", [RequestUser.Authenticated]),
        new("system:basic-user", [RequestUser.Authenticated]),
        new("system:public-info-viewer", [RequestUser.Authenticated, RequestUser.Unauthenticated]),
        new("system:node", []),
    ];

    /// <summary>The ClusterRole as stored, <c>rules</c> of an aggregated role left empty for aggregation to fill.</summary>
    public static JsonObject ToJson(ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var obj = new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = Metadata(role.Name, role.Labels),
            ["rules"] = new JsonArray([.. role.Rules.Select(RuleJson)]),
        };
        if (role.AggregatesLabel is { } label)
        {
            obj["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [label] = "true" } }),
            };
        }

        return obj;
    }

    public static JsonObject ToJson(ClusterRoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRoleBinding",
            ["metadata"] = Metadata(binding.Name, null),
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = binding.Name },
            ["subjects"] = new JsonArray([.. binding.Groups.Select(g => (JsonNode)new JsonObject
            {
                ["kind"] = "Group", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = g,
            })]),
        };
    }

    /// <summary>A rule as <c>rbacv1.PolicyRule</c> writes it, empty lists left out.</summary>
    public static JsonObject RuleJson(PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var json = new JsonObject { ["verbs"] = Strings(rule.Verbs) };
        if (rule.Groups.Count > 0)
        {
            json["apiGroups"] = Strings(rule.Groups);
        }

        if (rule.Resources.Count > 0)
        {
            json["resources"] = Strings(rule.Resources);
        }

        if (rule.Names is { Count: > 0 } names)
        {
            json["resourceNames"] = Strings(names);
        }

        if (rule.NonResourceUrls.Count > 0)
        {
            json["nonResourceURLs"] = Strings(rule.NonResourceUrls);
        }

        return json;
    }

    private static JsonObject Metadata(string name, IReadOnlyDictionary<string, string>? labels)
    {
        var labelJson = new JsonObject { [BootstrappingLabel] = "rbac-defaults" };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            labelJson[key] = value;
        }

        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labelJson,
            ["annotations"] = new JsonObject { [AutoupdateAnnotation] = "true" },
        };
    }

    private static Dictionary<string, string> Label(string key) => new() { [key] = "true" };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
