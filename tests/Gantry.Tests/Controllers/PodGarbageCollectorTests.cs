using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The pod garbage collector on real informers over a registry whose clock the test moves; its loop never runs.</summary>
public sealed class PodGarbageCollectorTests : IAsyncLifetime
{
    private InformedRegistry _registry = null!;
    private PodGarbageCollector _collector = null!;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        _collector = new PodGarbageCollector(_registry.Informers, _registry.Client, _registry.Context.Time, NullLogger<PodGarbageCollector>.Instance);
        await _registry.RunInformersAsync();
    }

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    [Fact]
    public async Task A_pod_of_a_node_missing_past_the_quarantine_is_failed_with_a_DisruptionTarget_and_deleted()
    {
        await CreatePodAsync("orphan", "gone", finalizer: "test/hold");
        await CollectAsync();
        _registry.Context.Time.Advance(PodGarbageCollector.Quarantine);

        await CollectAsync();

        var pod = Stored("orphan")!;
        Assert.NotNull(pod.Metadata.DeletionTimestamp);
        Assert.Equal("Failed", pod.Status.Phase);
        var condition = pod.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "DeletionByPodGC", "PodGC: node no longer exists"), (condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public async Task A_pod_of_a_node_missing_for_less_than_the_quarantine_is_kept()
    {
        await CreatePodAsync("early", "gone");
        await CollectAsync();
        _registry.Context.Time.Advance(PodGarbageCollector.Quarantine - TimeSpan.FromSeconds(1));

        await CollectAsync();

        Assert.Null(Stored("early")!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_node_that_comes_back_within_the_quarantine_keeps_its_pods()
    {
        await CreatePodAsync("back", "returning");
        await CollectAsync();
        await CreateNodeAsync("returning", ready: true);
        await CollectAsync();
        _registry.Context.Time.Advance(PodGarbageCollector.Quarantine);

        await CollectAsync();

        Assert.Null(Stored("back")!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_terminating_pod_of_a_not_ready_out_of_service_node_is_deleted_at_once()
    {
        await CreateNodeAsync("broken", ready: false, PodGarbageCollector.OutOfServiceTaint);
        await CreatePodAsync("stuck", "broken");
        await _registry.Client.DeleteAsync<V1Pod>("default", "stuck", new DeleteRequest(GracePeriodSeconds: 30), _registry.Context.Ct);
        Assert.NotNull(Stored("stuck"));

        await CollectAsync();

        Assert.Null(Stored("stuck"));
    }

    [Fact]
    public async Task A_terminating_pod_of_a_not_ready_node_without_the_taint_is_left_to_its_grace_period()
    {
        await CreateNodeAsync("slow", ready: false);
        await CreatePodAsync("waiting", "slow");
        await _registry.Client.DeleteAsync<V1Pod>("default", "waiting", new DeleteRequest(GracePeriodSeconds: 30), _registry.Context.Ct);

        await CollectAsync();

        Assert.NotNull(Stored("waiting"));
    }

    [Fact]
    public async Task An_unscheduled_pod_a_finalizer_keeps_after_its_deletion_is_made_failed()
    {
        await CreatePodAsync("held", "", finalizer: "batch.kubernetes.io/job-tracking");
        await _registry.Client.DeleteAsync<V1Pod>("default", "held", DeleteRequest.Default, _registry.Context.Ct);

        await CollectAsync();

        Assert.Equal("Failed", Stored("held")!.Status.Phase);
    }

    private async Task CreatePodAsync(string name, string node, string? finalizer = null) =>
        await _registry.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Finalizers = finalizer is null ? null : [finalizer] },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, _registry.Context.Ct);

    private async Task CreateNodeAsync(string name, bool ready, string? taint = null) =>
        await _registry.Client.CreateAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1NodeSpec { Taints = taint is null ? null : [new V1Taint { Key = taint, Effect = "NoExecute" }] },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
        }, _registry.Context.Ct);

    /// <summary>One pass, once the collector's informers hold every pod and node as stored.</summary>
    private async Task CollectAsync()
    {
        await _registry.SettleAsync<V1Pod>(RegistryTestContext.Pods);
        await _registry.SettleAsync<V1Node>(ResourceCatalog.Get("", "nodes"));
        await _collector.CollectAsync(_registry.Context.Ct);
    }

    private V1Pod? Stored(string name) =>
        _registry.Context.Get(RegistryTestContext.Pods, name) is { } json ? KubernetesJson.Deserialize<V1Pod>(json.ToJsonString()) : null;
}
