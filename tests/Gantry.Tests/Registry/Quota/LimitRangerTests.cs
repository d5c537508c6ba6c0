using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Quota;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

/// <summary>
/// The LimitRanger admission plugin over LimitRanges stored (and so defaulted) by the registry: the defaults a container
/// lacks, the note it leaves on the pod, and the limits a pod must keep, in kube's words.
/// </summary>
public sealed class LimitRangerTests : IAsyncLifetime
{
    private static readonly ResourceType LimitRanges = ResourceCatalog.Get("", "limitranges");

    private RegistryTestContext _context = null!;
    private LimitRanger _ranger = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _ranger = new LimitRanger(_context.Cache);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private Task<JsonObject> StoreAsync(string name, params V1LimitRangeItem[] items) =>
        _context.CreateAsync(LimitRanges, JsonNode.Parse(KubernetesJson.Serialize(new V1LimitRange
        {
            ApiVersion = "v1",
            Kind = "LimitRange",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1LimitRangeSpec { Limits = items },
        }))!.AsObject());

    private async Task<string> RefusalAsync(V1Pod pod)
    {
        var refused = await Assert.ThrowsAsync<ApiException>(() => _ranger.AdmitAsync(pod, "default", _context.Ct));
        Assert.Equal(403, refused.Code);
        return refused.Message;
    }

    private static string Resources(IDictionary<string, ResourceQuantity>? list) =>
        string.Join(",", (list ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    [Fact]
    public async Task A_namespace_without_limit_ranges_leaves_the_pod_as_it_is()
    {
        var pod = Pod("p");

        await _ranger.AdmitAsync(pod, "default", _context.Ct);

        Assert.Null(pod.Spec.Containers[0].Resources);
        Assert.Null(pod.Metadata.Annotations);
    }

    [Fact]
    public async Task A_container_gets_the_default_requests_and_limits_it_lacks_and_the_pod_a_note_of_them()
    {
        await StoreAsync("defaults", Item("Container", defaults: "cpu=500m,memory=256Mi", defaultRequest: "cpu=100m,memory=128Mi"));
        var pod = Pod("p", Container("a"));

        await _ranger.AdmitAsync(pod, "default", _context.Ct);

        var resources = pod.Spec.Containers[0].Resources;
        Assert.Equal("cpu=100m,memory=128Mi", Resources(resources.Requests));
        Assert.Equal("cpu=500m,memory=256Mi", Resources(resources.Limits));
        Assert.Equal(
            "LimitRanger plugin set: cpu, memory request for container a; cpu, memory limit for container a",
            pod.Metadata.Annotations[LimitRanger.Annotation]);
    }

    [Fact]
    public async Task The_note_names_only_what_was_set_and_init_containers_as_such()
    {
        await StoreAsync("defaults", Item("Container", defaults: "cpu=500m,memory=256Mi", defaultRequest: "cpu=100m,memory=128Mi"));
        var pod = Pod("p", Container("a", requests: "cpu=200m,memory=64Mi", limits: "memory=64Mi"));
        pod.Spec.InitContainers = [Container("init", requests: "cpu=100m,memory=128Mi", limits: "cpu=500m,memory=256Mi")];

        await _ranger.AdmitAsync(pod, "default", _context.Ct);

        Assert.Equal("LimitRanger plugin set: cpu limit for container a", pod.Metadata.Annotations["kubernetes.io/limit-ranger"]);
    }

    [Fact]
    public async Task A_limit_without_a_request_keeps_the_limit_as_its_request_not_the_default_request()
    {
        await StoreAsync("defaults", Item("Container", defaults: "cpu=500m", defaultRequest: "cpu=100m"));
        var pod = Pod("p", Container("a", limits: "cpu=300m"));

        await _ranger.AdmitAsync(pod, "default", _context.Ct);

        Assert.Equal("cpu=300m", Resources(pod.Spec.Containers[0].Resources.Requests));
        Assert.Equal("cpu=300m", Resources(pod.Spec.Containers[0].Resources.Limits));
        Assert.Null(pod.Metadata.Annotations);
    }

    [Fact]
    public async Task The_max_of_a_stored_range_becomes_the_default_limit_and_request()
    {
        await StoreAsync("max", Item("Container", max: "cpu=1"));
        var pod = Pod("p", Container("a"));

        await _ranger.AdmitAsync(pod, "default", _context.Ct);

        Assert.Equal("cpu=1", Resources(pod.Spec.Containers[0].Resources.Requests));
        Assert.Equal("cpu=1", Resources(pod.Spec.Containers[0].Resources.Limits));
    }

    [Fact]
    public async Task A_container_over_the_max_is_forbidden()
    {
        await StoreAsync("max", Item("Container", max: "cpu=1"));

        Assert.Equal(
            "pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
            await RefusalAsync(Pod("p", Container("a", limits: "cpu=2"))));
    }

    [Fact]
    public void A_request_over_the_max_is_forbidden_when_the_limit_is_within_it()
    {
        var pod = Pod("p", Container("a", requests: "cpu=2", limits: "cpu=500m"));

        Assert.Equal(
            ["maximum cpu usage per Container is 1, but request is 2"],
            LimitRanger.Violations(pod, [Item("Container", max: "cpu=1")]));
    }

    [Fact]
    public async Task A_container_under_the_min_is_forbidden()
    {
        await StoreAsync("min", Item("Container", min: "memory=64Mi"));

        Assert.Equal(
            "pods \"p\" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi",
            await RefusalAsync(Pod("p", Container("a", requests: "memory=32Mi"))));
    }

    [Fact]
    public void A_container_with_no_request_for_a_min_is_told_so_with_kubes_two_spaces()
    {
        Assert.Equal(
            ["minimum cpu usage per Container is 50m.  No request is specified"],
            LimitRanger.Violations(Pod("p", Container("a")), [Item("Container", min: "cpu=50m")]));
    }

    [Fact]
    public void A_container_with_no_limit_for_a_max_is_told_so()
    {
        Assert.Equal(
            ["maximum memory usage per Container is 1Gi.  No limit is specified"],
            LimitRanger.Violations(Pod("p", Container("a", requests: "memory=1Mi")), [Item("Container", max: "memory=1Gi")]));
    }

    [Fact]
    public async Task A_limit_too_far_above_its_request_breaks_the_ratio()
    {
        await StoreAsync("ratio", Item("Container", ratio: "cpu=2"));

        Assert.Equal(
            "pods \"p\" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000",
            await RefusalAsync(Pod("p", Container("a", requests: "cpu=100m", limits: "cpu=400m"))));
    }

    [Fact]
    public void A_ratio_needs_both_a_request_and_a_limit()
    {
        var item = Item("Container", ratio: "cpu=2");

        Assert.Equal(
            ["cpu max limit to request ratio per Container is 2, but no request is specified or request is 0"],
            LimitRanger.Violations(Pod("p", Container("a", limits: "cpu=1")), [item]));
        Assert.Equal(
            ["cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0"],
            LimitRanger.Violations(Pod("p", Container("a", requests: "cpu=1")), [item]));
    }

    [Fact]
    public async Task Several_violations_are_listed_in_brackets()
    {
        await StoreAsync("max", Item("Container", max: "cpu=1,memory=1Gi"));

        Assert.Equal(
            "pods \"p\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]",
            await RefusalAsync(Pod("p", Container("a", limits: "cpu=2,memory=2Gi"))));
    }

    [Fact]
    public async Task The_same_violation_by_two_containers_is_told_once_without_brackets()
    {
        await StoreAsync("max", Item("Container", max: "cpu=1"));

        Assert.Equal(
            "pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
            await RefusalAsync(Pod("p", Container("a", limits: "cpu=2"), Container("b", limits: "cpu=2"))));
    }

    [Fact]
    public async Task A_pod_max_holds_the_pods_total_though_each_container_is_within_it()
    {
        await StoreAsync("pod", Item("Pod", max: "cpu=1"));
        var pod = Pod("p", Container("a", requests: "cpu=600m", limits: "cpu=600m"), Container("b", requests: "cpu=600m", limits: "cpu=600m"));

        Assert.Equal("pods \"p\" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m", await RefusalAsync(pod));
    }

    [Fact]
    public async Task A_pod_within_a_pod_max_is_admitted()
    {
        await StoreAsync("pod", Item("Pod", max: "cpu=2"));
        var pod = Pod("p", Container("a", requests: "cpu=600m", limits: "cpu=600m"), Container("b", requests: "cpu=600m", limits: "cpu=600m"));

        await _ranger.AdmitAsync(pod, "default", _context.Ct);
    }

    [Fact]
    public async Task A_pod_min_is_judged_on_the_pods_total_requests()
    {
        await StoreAsync("pod", Item("Pod", min: "memory=128Mi"));

        Assert.Equal(
            "pods \"p\" is forbidden: minimum memory usage per Pod is 128Mi, but request is 96Mi",
            await RefusalAsync(Pod("p", Container("a", requests: "memory=32Mi"), Container("b", requests: "memory=64Mi"))));
    }

    [Fact]
    public async Task A_limit_alone_counts_as_its_request_when_no_range_sets_defaults()
    {
        var registry = new ObjectRegistry(_context.Store, _context.Cache, ResourceRulesCatalog.For, _context.Time, null, [_ranger]);
        await StoreAsync("ratio", Item("Container", ratio: "cpu=2"));
        var pod = RegistryTestContext.Pod("web");
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "1" } };

        var stored = KubernetesJson.Deserialize<V1Pod>((await registry.CreateAsync(
            RegistryTestContext.Pods, "default", pod, new WriteOptions(), _context.Ct)).ToJsonString());

        Assert.Equal("cpu=1", Resources(stored.Spec.Containers[0].Resources.Requests));
    }

    [Fact]
    public async Task A_pod_created_through_the_registry_is_stored_with_the_defaults_and_the_note()
    {
        var registry = new ObjectRegistry(_context.Store, _context.Cache, ResourceRulesCatalog.For, _context.Time, null, [_ranger]);
        await StoreAsync("defaults", Item("Container", defaults: "memory=256Mi", defaultRequest: "memory=128Mi"));

        var stored = KubernetesJson.Deserialize<V1Pod>((await registry.CreateAsync(
            RegistryTestContext.Pods, "default", RegistryTestContext.Pod("web"), new WriteOptions(), _context.Ct)).ToJsonString());

        Assert.Equal("memory=128Mi", Resources(stored.Spec.Containers[0].Resources.Requests));
        Assert.Equal("memory=256Mi", Resources(stored.Spec.Containers[0].Resources.Limits));
        Assert.Equal("LimitRanger plugin set: memory request for container web; memory limit for container web", stored.Metadata.Annotations[LimitRanger.Annotation]);
    }

    [Fact]
    public async Task A_pod_the_ranges_forbid_is_not_stored()
    {
        var registry = new ObjectRegistry(_context.Store, _context.Cache, ResourceRulesCatalog.For, _context.Time, null, [_ranger]);
        await StoreAsync("max", Item("Container", max: "memory=64Mi"));
        var pod = RegistryTestContext.Pod("web");
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "1Gi" } };

        var refused = await Assert.ThrowsAsync<ApiException>(() => registry.CreateAsync(RegistryTestContext.Pods, "default", pod, new WriteOptions(), _context.Ct));

        Assert.Equal("pods \"web\" is forbidden: maximum memory usage per Container is 64Mi, but limit is 1Gi", refused.Message);
        Assert.Null(_context.Get(RegistryTestContext.Pods, "web"));
    }
}
