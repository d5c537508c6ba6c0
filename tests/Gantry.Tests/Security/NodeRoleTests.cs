using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>What a join token's user (<c>system:nodes</c>) may do: run an agent, and nothing else.</summary>
public sealed class NodeRoleTests : IAsyncLifetime
{
    private static readonly RequestUser Node = RequestUser.BootstrapToken("abcdef");

    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    private static readonly ResourceType PersistentVolumes = ResourceCatalog.Get("", "persistentvolumes");

    private RegistryTestContext _context = null!;
    private RequestAuthorizer _authorizer = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _authorizer = new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context));
        await _context.CreateAsync(Nodes, NodeStamped("n1", "abcdef"));
        await _context.CreateAsync(Nodes, NodeStamped("other", "zzzzzz"));
        await _context.CreateAsync(Nodes, NodeStamped("admins", null));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData("list", "", "pods", null)]
    [InlineData("watch", "", "pods", null)]
    [InlineData("watch", "", "nodes", null)]
    [InlineData("watch", "", "services", null)]
    [InlineData("watch", "discovery.k8s.io", "endpointslices", null)]
    [InlineData("get", "", "nodes", "n1")]
    [InlineData("list", "", "namespaces", null)]
    [InlineData("watch", "networking.k8s.io", "networkpolicies", null)]
    public void A_node_may_read_what_its_pods_its_proxy_and_its_network_policies_follow(string verb, string group, string resource, string? name)
    {
        Assert.True(Allows(verb, group, resource, null, null, name));
    }

    [Theory]
    [InlineData("list", "", "pods", null)]
    [InlineData("create", "", "nodes", null)]
    public void A_member_of_system_nodes_without_a_join_token_is_no_node(string verb, string group, string resource, string? name)
    {
        var certificateUser = new RequestUser("system:node:n1", [RequestUser.Nodes, RequestUser.Authenticated]);

        Assert.False(_authorizer.Allows(certificateUser, new RequestAttributes(verb, group, resource, null, null, name)));
    }

    [Theory]
    [InlineData("create", "", "nodes", null, null)]
    [InlineData("patch", "", "nodes", null, "n1")]
    [InlineData("patch", "", "nodes", null, "not-registered-yet")]
    [InlineData("update", "", "nodes", "status", "n1")]
    [InlineData("create", "", "events", null, null)]
    public void A_node_may_write_its_own_nodes_and_events(string verb, string group, string resource, string? subresource, string? name)
    {
        var ns = resource is "nodes" ? null : "default";
        Assert.True(Allows(verb, group, resource, subresource, ns, name));
    }

    [Theory]
    [InlineData("create", "", "pods", null, null)]
    [InlineData("update", "", "pods", null, "web")]
    [InlineData("create", "", "pods", "exec", "web")]
    [InlineData("create", "apps", "deployments", null, null)]
    [InlineData("create", "", "secrets", null, null)]
    [InlineData("list", "", "secrets", null, null)]
    [InlineData("watch", "", "configmaps", null, null)]
    [InlineData("create", "", "services", null, null)]
    [InlineData("delete", "", "namespaces", null, "default")]
    [InlineData("deletecollection", "", "pods", null, null)]
    public void A_node_may_not_run_workloads_or_read_the_clusters_secrets(string verb, string group, string resource, string? subresource, string? name)
    {
        var ns = resource is "namespaces" ? null : "default";
        Assert.False(Allows(verb, group, resource, subresource, ns, name));
    }

    [Fact]
    public void A_node_may_not_delete_a_node()
    {
        Assert.False(Allows("delete", "", "nodes", null, null, "n1"));
    }

    [Theory]
    [InlineData("other")]
    [InlineData("admins")]
    public void A_node_may_not_write_a_node_another_token_or_the_admin_registered(string node)
    {
        Assert.False(Allows("patch", "", "nodes", null, null, node));
        Assert.False(Allows("update", "", "nodes", "status", null, node));
        Assert.False(Allows("update", "coordination.k8s.io", "leases", null, NodeRole.NodeLeaseNamespace, node));
    }

    [Fact]
    public async Task A_node_may_write_the_status_of_and_delete_only_pods_bound_to_its_own_nodes()
    {
        await _context.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("mine", nodeName: "n1"));
        await _context.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("theirs", nodeName: "other"));
        await _context.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("pending"));

        Assert.True(Allows("patch", "", "pods", "status", "default", "mine"));
        Assert.True(Allows("delete", "", "pods", null, "default", "mine"));
        Assert.False(Allows("patch", "", "pods", "status", "default", "theirs"));
        Assert.False(Allows("delete", "", "pods", null, "default", "theirs"));
        Assert.False(Allows("delete", "", "pods", null, "default", "pending"));
    }

    [Fact]
    public void A_node_may_keep_leases_in_kube_node_lease_only()
    {
        Assert.True(Allows("update", "coordination.k8s.io", "leases", null, NodeRole.NodeLeaseNamespace, "n1"));
        Assert.False(Allows("update", "coordination.k8s.io", "leases", null, "kube-system", "kube-scheduler"));
    }

    [Fact]
    public void A_node_may_read_the_cluster_network_config_map_but_no_other_in_kube_system()
    {
        Assert.True(Allows("get", "", "configmaps", null, NodeRole.NetworkConfigMapNamespace, NodeRole.NetworkConfigMapName));
        Assert.False(Allows("get", "", "configmaps", null, "kube-system", "extension-apiserver-authentication"));
    }

    [Fact]
    public async Task A_node_may_get_a_secret_and_a_config_map_that_a_pod_on_its_own_node_names()
    {
        await _context.CreateAsync(RegistryTestContext.Pods, PodNaming("web", nodeName: "n1", secret: "db-password", configMap: "settings"));
        await _context.CreateAsync(RegistryTestContext.Pods, PodNaming("elsewhere", nodeName: "other", secret: "their-password", configMap: "their-settings"));

        Assert.True(Allows("get", "", "secrets", null, "default", "db-password"));
        Assert.True(Allows("get", "", "configmaps", null, "default", "settings"));
        Assert.False(Allows("get", "", "secrets", null, "default", "their-password"));
        Assert.False(Allows("get", "", "configmaps", null, "default", "their-settings"));
        Assert.False(Allows("get", "", "secrets", null, "kube-system", "db-password"));
    }

    [Fact]
    public async Task A_node_may_not_get_a_secret_only_a_pending_pod_names()
    {
        await _context.CreateAsync(RegistryTestContext.Pods, PodNaming("pending", nodeName: null, secret: "db-password", configMap: "settings"));

        Assert.False(Allows("get", "", "secrets", null, "default", "db-password"));
    }

    [Fact]
    public async Task A_node_may_get_a_claim_a_pod_on_its_own_node_names_and_the_volume_bound_to_it()
    {
        await _context.CreateAsync(RegistryTestContext.Pods, PodClaiming("web", nodeName: "n1", claim: "data"));
        await _context.CreateAsync(RegistryTestContext.Pods, PodClaiming("elsewhere", nodeName: "other", claim: "their-data"));
        await _context.CreateAsync(PersistentVolumes, Volume("pv-mine", claim: "data"));
        await _context.CreateAsync(PersistentVolumes, Volume("pv-theirs", claim: "their-data"));
        await _context.CreateAsync(PersistentVolumes, Volume("pv-available", claim: null));

        Assert.True(Allows("get", "", "persistentvolumeclaims", null, "default", "data"));
        Assert.True(Allows("get", "", "persistentvolumes", null, null, "pv-mine"));
        Assert.False(Allows("get", "", "persistentvolumeclaims", null, "default", "their-data"));
        Assert.False(Allows("get", "", "persistentvolumeclaims", null, "kube-system", "data"));
        Assert.False(Allows("get", "", "persistentvolumes", null, null, "pv-theirs"));
        Assert.False(Allows("get", "", "persistentvolumes", null, null, "pv-available"));
        Assert.False(Allows("get", "", "persistentvolumes", null, null, "pv-missing"));
        Assert.False(Allows("list", "", "persistentvolumes", null, null, null));
        Assert.False(Allows("update", "", "persistentvolumeclaims", "status", "default", "data"));
    }

    [Fact]
    public void The_admin_may_do_anything_and_anyone_may_read_cluster_info()
    {
        Assert.True(_authorizer.Allows(RequestUser.Admin, new RequestAttributes("deletecollection", "", "secrets", null, "kube-system", null)));
        Assert.True(_authorizer.Allows(RequestUser.Anonymous, new RequestAttributes("get", "", "configmaps", null, ClusterInfo.Namespace, ClusterInfo.Name)));
        Assert.False(_authorizer.Allows(RequestUser.Anonymous, new RequestAttributes("list", "", "configmaps", null, ClusterInfo.Namespace, null)));
    }

    private bool Allows(string verb, string group, string resource, string? subresource, string? ns, string? name) =>
        _authorizer.Allows(Node, new RequestAttributes(verb, group, resource, subresource, ns, name));

    private static JsonObject NodeStamped(string name, string? token)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (token is not null)
        {
            metadata["annotations"] = new JsonObject { [AgentClientIdentity.TokenIdAnnotation] = token };
        }

        return new JsonObject { ["metadata"] = metadata };
    }

    private static JsonObject PodClaiming(string name, string nodeName, string claim)
    {
        var pod = RegistryTestContext.Pod(name, nodeName);
        pod["spec"]!["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } });
        return pod;
    }

    /// <summary>A hostPath PersistentVolume, bound (or pre-bound) to the claim of the default namespace when one is named.</summary>
    private static JsonObject Volume(string name, string? claim)
    {
        var spec = new JsonObject
        {
            ["capacity"] = new JsonObject { ["storage"] = "1Gi" },
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["hostPath"] = new JsonObject { ["path"] = $"/srv/{name}" },
        };
        if (claim is not null)
        {
            spec["claimRef"] = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["namespace"] = "default", ["name"] = claim };
        }

        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    private static JsonObject PodNaming(string name, string? nodeName, string secret, string configMap)
    {
        var pod = RegistryTestContext.Pod(name, nodeName);
        pod["spec"]!["volumes"] = new JsonArray(new JsonObject { ["name"] = "creds", ["secret"] = new JsonObject { ["secretName"] = secret } });
        pod["spec"]!["containers"]![0]!["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = configMap } });
        return pod;
    }
}
