using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry.Quota;
using k8s;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

/// <summary>Whether a new object fits its namespace's quotas, judged by their status, and what each quota's usage becomes.</summary>
public sealed class QuotaCheckTests
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Services = ResourceCatalog.Get("", "services");
    private static readonly ResourceType ConfigMaps = ResourceCatalog.Get("", "configmaps");

    private static List<(V1ResourceQuota Quota, Dictionary<string, decimal> Used)> Charges(
        ResourceType type, IKubernetesObject<V1ObjectMeta> obj, params V1ResourceQuota[] quotas) => QuotaCheck.Charges(type, obj, null, quotas, Now);

    private static ApiException Refusal(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, params V1ResourceQuota[] quotas) =>
        Assert.Throws<ApiException>(() => Charges(type, obj, quotas));

    private static V1Service Service(string name, string type, int ports) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec
        {
            Type = type,
            Ports = [.. Enumerable.Range(0, ports).Select(i => new V1ServicePort { Name = $"p{i}", Port = 80 + i })],
        },
    };

    private static V1ConfigMap ConfigMap(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
    };

    [Fact]
    public void A_pod_that_would_take_a_quota_past_its_hard_limit_is_forbidden_in_kubes_words()
    {
        var quota = CountedQuota("q", hard: "requests.cpu=1", used: "requests.cpu=600m");

        var refused = Refusal(Pods, Pod("p", Container("a", requests: "cpu=600m")), quota);

        Assert.Equal(403, refused.Code);
        Assert.Equal(
            "pods \"p\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1",
            refused.Message);
    }

    [Fact]
    public void The_refusal_names_only_the_resources_exceeded()
    {
        var quota = CountedQuota("q", hard: "pods=10,requests.cpu=1,requests.memory=1Gi", used: "pods=2,requests.cpu=900m,requests.memory=2Gi");

        var refused = Refusal(Pods, Pod("p", Container("a", requests: "cpu=100m,memory=512Mi")), quota);

        Assert.Equal(
            "pods \"p\" is forbidden: exceeded quota: q, requested: requests.memory=512Mi, used: requests.memory=2Gi, limited: requests.memory=1Gi",
            refused.Message);
    }

    [Fact]
    public void A_pod_that_fills_a_quota_exactly_is_admitted()
    {
        var quota = CountedQuota("q", hard: "pods=2", used: "pods=1");

        var (_, used) = Assert.Single(Charges(Pods, Pod("p"), quota));

        Assert.Equal("pods=2", ResourceAmounts.Print(used));
    }

    [Fact]
    public void A_pod_whose_containers_do_not_ask_for_held_cpu_or_memory_fails_the_quota()
    {
        var quota = CountedQuota("q", hard: "requests.cpu=4,limits.memory=4Gi", used: "requests.cpu=0,limits.memory=0");
        var pod = Pod("p", Container("a", requests: "cpu=100m"), Container("b", limits: "memory=1Gi"));

        var refused = Refusal(Pods, pod, quota);

        Assert.Equal(403, refused.Code);
        Assert.Equal("pods \"p\" is forbidden: failed quota: q: must specify limits.memory for: a; requests.cpu for: b", refused.Message);
    }

    [Fact]
    public void A_quota_whose_status_has_limits_but_no_usage_for_them_refuses_with_status_unknown()
    {
        var quota = CountedQuota("q", hard: "pods=5,requests.cpu=1", used: "pods=0");

        var refused = Refusal(Pods, Pod("p", Container("a", requests: "cpu=100m")), quota);

        Assert.Equal(403, refused.Code);
        Assert.Equal("pods \"p\" is forbidden: status unknown for quota: q, resources: pods,requests.cpu", refused.Message);
    }

    [Fact]
    public void A_quota_the_controller_has_not_counted_yet_charges_nothing()
    {
        var quota = CountedQuota("q", hard: "pods=0", used: null);
        quota.Status = null;

        Assert.Empty(Charges(Pods, Pod("p"), quota));
    }

    [Fact]
    public void A_quota_that_holds_nothing_the_object_uses_charges_nothing()
    {
        var quota = CountedQuota("q", hard: "pods=0,requests.cpu=0", used: "pods=0,requests.cpu=0");

        Assert.Empty(Charges(ConfigMaps, ConfigMap("c"), quota));
    }

    [Fact]
    public void A_held_resource_the_pod_does_not_use_is_not_charged()
    {
        var quota = CountedQuota("q", hard: "pods=5,requests.ephemeral-storage=0", used: "pods=0,requests.ephemeral-storage=0");

        var (_, used) = Assert.Single(Charges(Pods, Pod("p"), quota));

        Assert.Equal("pods=1", ResourceAmounts.Print(used));
    }

    [Fact]
    public void A_scoped_quota_does_not_charge_a_service()
    {
        var quota = CountedQuota("q", hard: "services=0", used: "services=0");
        quota.Spec.Scopes = [QuotaScopes.NotTerminating];

        Assert.Empty(Charges(Services, Service("s", "ClusterIP", 1), quota));
    }

    [Fact]
    public void A_scoped_quota_does_not_charge_a_pod_its_scopes_do_not_match()
    {
        var quota = CountedQuota("q", hard: "pods=0", used: "pods=0");
        quota.Spec.Scopes = [QuotaScopes.Terminating];

        Assert.Empty(Charges(Pods, Pod("p"), quota));
    }

    [Fact]
    public void A_scoped_quota_charges_a_pod_its_scopes_match()
    {
        var quota = CountedQuota("q", hard: "pods=0", used: "pods=0");
        quota.Spec.Scopes = [QuotaScopes.BestEffort];

        Assert.StartsWith("pods \"p\" is forbidden: exceeded quota: q, requested: pods=1", Refusal(Pods, Pod("p"), quota).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_map_is_counted_under_both_its_legacy_and_its_count_name()
    {
        var quota = CountedQuota("q", hard: "configmaps=3,count/configmaps=3", used: "configmaps=1,count/configmaps=1");

        var (_, used) = Assert.Single(Charges(ConfigMaps, ConfigMap("c"), quota));

        Assert.Equal("configmaps=2,count/configmaps=2", ResourceAmounts.Print(used));
    }

    [Fact]
    public void The_count_name_of_a_group_kind_carries_its_group()
    {
        Assert.Equal("count/deployments.apps", ObjectUsage.CountName(ResourceCatalog.Get("apps", "deployments")));
        Assert.Equal("count/pods", ObjectUsage.CountName(Pods));
    }

    [Fact]
    public void A_config_map_past_a_count_quota_is_forbidden()
    {
        var quota = CountedQuota("q", hard: "count/configmaps=1", used: "count/configmaps=1");

        Assert.Equal(
            "configmaps \"c\" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1",
            Refusal(ConfigMaps, ConfigMap("c"), quota).Message);
    }

    [Fact]
    public void A_node_port_service_charges_a_node_port_per_port()
    {
        var quota = CountedQuota("q", hard: "services.nodeports=1", used: "services.nodeports=0");

        var refused = Refusal(Services, Service("s", "NodePort", 2), quota);

        Assert.Equal(
            "services \"s\" is forbidden: exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1",
            refused.Message);
    }

    [Fact]
    public void A_cluster_ip_service_charges_no_node_ports_or_load_balancers()
    {
        var quota = CountedQuota("q", hard: "services=5,services.nodeports=0,services.loadbalancers=0", used: "services=1,services.nodeports=0,services.loadbalancers=0");

        var (_, used) = Assert.Single(Charges(Services, Service("s", "ClusterIP", 3), quota));

        Assert.Equal("services=2", ResourceAmounts.Print(used));
    }

    [Fact]
    public void A_load_balancer_charges_one_load_balancer_and_its_node_ports()
    {
        var quota = CountedQuota("q", hard: "services.nodeports=10,services.loadbalancers=2", used: "services.nodeports=1,services.loadbalancers=0");

        var (_, used) = Assert.Single(Charges(Services, Service("s", "LoadBalancer", 2), quota));

        Assert.Equal("services.loadbalancers=1,services.nodeports=3", ResourceAmounts.Print(used));
    }

    [Fact]
    public void The_new_usage_is_the_old_plus_what_the_pod_uses_of_what_the_quota_holds()
    {
        var quota = CountedQuota(
            "q",
            hard: "pods=5,requests.cpu=2,requests.memory=1Gi,limits.cpu=4",
            used: "pods=1,requests.cpu=500m,requests.memory=256Mi,limits.cpu=1");
        var pod = Pod("p", Container("a", requests: "cpu=250m,memory=256Mi", limits: "cpu=500m"));

        var (charged, used) = Assert.Single(Charges(Pods, pod, quota));

        Assert.Same(quota, charged);
        Assert.Equal("limits.cpu=1500m,pods=2,requests.cpu=750m,requests.memory=512Mi", ResourceAmounts.Print(used));
    }

    [Fact]
    public void Every_quota_that_holds_what_the_pod_uses_is_charged_each_with_its_own_usage()
    {
        var compute = CountedQuota("compute", hard: "requests.cpu=2", used: "requests.cpu=1");
        var counts = CountedQuota("counts", hard: "pods=10,count/pods=10", used: "pods=3,count/pods=4");
        var pod = Pod("p", Container("a", requests: "cpu=500m"));

        var charges = Charges(Pods, pod, compute, counts);

        Assert.Equal(
            ["compute: requests.cpu=1500m", "counts: count/pods=5,pods=4"],
            charges.Select(c => $"{c.Quota.Metadata.Name}: {ResourceAmounts.Print(c.Used)}"));
    }

    [Fact]
    public void One_full_quota_refuses_the_pod_though_another_has_room()
    {
        var roomy = CountedQuota("a-roomy", hard: "pods=10", used: "pods=0");
        var full = CountedQuota("b-full", hard: "pods=1", used: "pods=1");

        Assert.Equal(
            "pods \"p\" is forbidden: exceeded quota: b-full, requested: pods=1, used: pods=1, limited: pods=1",
            Refusal(Pods, Pod("p"), roomy, full).Message);
    }

    [Fact]
    public void A_service_that_becomes_a_node_port_is_charged_what_it_adds()
    {
        var quota = CountedQuota("q", hard: "services=5,services.nodeports=0", used: "services=1,services.nodeports=0");

        var refused = Assert.Throws<ApiException>(() =>
            QuotaCheck.Charges(Services, Service("s", "NodePort", 1), Service("s", "ClusterIP", 1), [quota], Now));

        Assert.Equal(
            "services \"s\" is forbidden: exceeded quota: q, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0",
            refused.Message);
    }

    [Fact]
    public void An_update_that_adds_nothing_charges_nothing()
    {
        var quota = CountedQuota("q", hard: "services=1,services.nodeports=1", used: "services=1,services.nodeports=1");

        Assert.Empty(QuotaCheck.Charges(Services, Service("s", "NodePort", 1), Service("s", "NodePort", 1), [quota], Now));
    }
}
