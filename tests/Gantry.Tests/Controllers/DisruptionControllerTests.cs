using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The disruption controller on real informers over a registry whose clock stands still; its loop never runs.</summary>
public sealed class DisruptionControllerTests : IAsyncLifetime
{
    private static readonly ResourceType Budgets = ResourceCatalog.Get("policy", "poddisruptionbudgets");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType ReplicaSets = ResourceCatalog.Get("apps", "replicasets");
    private static readonly ResourceType StatefulSets = ResourceCatalog.Get("apps", "statefulsets");

    private InformedRegistry _registry = null!;
    private DisruptionController _controller = null!;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        var events = new EventRecorder(_registry.Client, "test", _registry.Context.Time, NullLogger.Instance);
        _controller = new DisruptionController(_registry.Informers, _registry.Client, events, _registry.Context.Time, NullLogger<DisruptionController>.Instance);
        await _registry.RunInformersAsync();
    }

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    [Fact]
    public async Task An_integer_minAvailable_allows_the_ready_pods_beyond_it()
    {
        var rs = await CreateReplicaSetAsync(replicas: 3);
        await CreateReadyPodsAsync(rs, "a", "b", "c");
        await CreateBudgetAsync(minAvailable: 2);

        var status = await SyncAsync();

        Assert.Equal((3, 3, 2, 1), (status.ExpectedPods, status.CurrentHealthy, status.DesiredHealthy, status.DisruptionsAllowed));
        Assert.Equal(1, status.ObservedGeneration);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("DisruptionAllowed", "True", "SufficientPods"), (condition.Type, condition.Status, condition.Reason));
    }

    [Fact]
    public async Task MaxUnavailable_counts_against_the_replica_sets_scale()
    {
        var rs = await CreateReplicaSetAsync(replicas: 4);
        await CreateReadyPodsAsync(rs, "a", "b", "c");
        await CreateBudgetAsync(maxUnavailable: 1);

        var status = await SyncAsync();

        Assert.Equal((4, 3, 3, 0), (status.ExpectedPods, status.CurrentHealthy, status.DesiredHealthy, status.DisruptionsAllowed));
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("False", "InsufficientPods"), (condition.Status, condition.Reason));
    }

    [Fact]
    public async Task MaxUnavailable_counts_against_the_stateful_sets_scale()
    {
        var set = await _registry.Client.CreateAsync(StatefulSetHarness.StatefulSet("web", 4), _registry.Context.Ct);
        await CreateReadyPodsAsync(new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "web", Uid = set.Uid(), Controller = true }, "web-0", "web-1", "web-2");
        await CreateBudgetAsync(maxUnavailable: 1);

        var status = await SyncAsync();

        Assert.Equal((4, 3, 3, 0), (status.ExpectedPods, status.CurrentHealthy, status.DesiredHealthy, status.DisruptionsAllowed));
    }

    [Fact]
    public async Task A_pod_whose_controller_cannot_be_counted_fails_safe_with_no_disruption_allowed()
    {
        var job = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "batch", Uid = "job-uid", Controller = true };
        await CreateReadyPodsAsync(job, "a");
        await CreateBudgetAsync(maxUnavailable: "50%");

        var status = await SyncAsync();

        Assert.Equal(0, status.DisruptionsAllowed);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("False", "SyncFailed", "jobs.batch does not implement the scale subresource"), (condition.Status, condition.Reason, condition.Message));
    }

    private async Task<V1OwnerReference> CreateReplicaSetAsync(int replicas)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        var rs = await _registry.Client.CreateAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
                },
            },
        }, _registry.Context.Ct);
        return new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = rs.Uid(), Controller = true };
    }

    private async Task CreateReadyPodsAsync(V1OwnerReference owner, params string[] names)
    {
        foreach (var name in names)
        {
            await _registry.Client.CreateAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" }, OwnerReferences = [owner] },
                Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            }, _registry.Context.Ct);
            await _registry.Client.MutateAsync<V1Pod>("default", name, p => p.Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            }, _registry.Context.Ct, "status");
        }
    }

    private Task<V1PodDisruptionBudget> CreateBudgetAsync(IntOrString? minAvailable = null, IntOrString? maxUnavailable = null) =>
        _registry.Client.CreateAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = minAvailable,
                MaxUnavailable = maxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        }, _registry.Context.Ct);

    /// <summary>One sync once every informer holds what was stored; returns the budget's stored status.</summary>
    private async Task<V1PodDisruptionBudgetStatus> SyncAsync()
    {
        await _registry.SettleAsync<V1Pod>(Pods);
        await _registry.SettleAsync<V1ReplicaSet>(ReplicaSets);
        await _registry.SettleAsync<V1StatefulSet>(StatefulSets);
        await _registry.SettleAsync<V1PodDisruptionBudget>(Budgets);
        await _controller.SyncAsync("default/web", _registry.Context.Ct);
        return KubernetesJson.Deserialize<V1PodDisruptionBudget>(_registry.Context.Get(Budgets, "web")!.ToJsonString()).Status;
    }
}
