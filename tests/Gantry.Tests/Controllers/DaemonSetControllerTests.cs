using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The DaemonSet controller, synced by hand over informers of a registry with no scheduler and no kubelet.</summary>
public sealed class DaemonSetControllerTests : IAsyncLifetime
{
    private DaemonSetHarness _h = null!;

    public async Task InitializeAsync() => _h = await DaemonSetHarness.StartAsync();

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task Each_node_gets_one_pod_pinned_to_it_by_a_metadata_name_affinity()
    {
        await _h.CreateNodeAsync("a");
        await _h.CreateNodeAsync("b");
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));

        await _h.SyncAsync("agent");
        await _h.SyncAsync("agent");

        Assert.Equal(["a", "b"], _h.PodsByNode().Where(p => p.Value.Count == 1).Select(p => p.Key).Order());
        var pod = _h.StoredPods()[0];
        var field = Assert.Single(Assert.Single(pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchFields);
        Assert.Equal(("metadata.name", "In"), (field.Key, field.OperatorProperty));
        Assert.Equal("1", pod.Metadata.Labels[DaemonPods.TemplateGenerationLabel]);
        Assert.False(string.IsNullOrEmpty(pod.Metadata.Labels[DaemonPods.RevisionHashLabel]));
        Assert.Equal(("DaemonSet", "agent", true), (pod.Metadata.OwnerReferences[0].Kind, pod.Metadata.OwnerReferences[0].Name, pod.Metadata.OwnerReferences[0].Controller));
        Assert.Contains(pod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/unschedulable" && t.Effect == "NoSchedule" && t.OperatorProperty == "Exists");
        Assert.Contains(await _h.EventsAsync("agent"), e => e.Reason == "SuccessfulCreate" && e.Message == $"Created pod: {pod.Name()}");
    }

    [Fact]
    public async Task Nodes_the_node_selector_rules_out_get_no_pod()
    {
        await _h.CreateNodeAsync("ssd", new Dictionary<string, string> { ["disk"] = "ssd" });
        await _h.CreateNodeAsync("hdd", new Dictionary<string, string> { ["disk"] = "hdd" });
        var ds = DaemonSetHarness.DaemonSet("agent");
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        await _h.CreateAsync(ds);

        await _h.SyncAsync("agent");

        Assert.Equal(["ssd"], _h.PodsByNode().Keys);
    }

    [Fact]
    public async Task A_tainted_node_gets_a_pod_only_from_a_daemonset_that_tolerates_the_taint()
    {
        await _h.CreateNodeAsync("tainted", null, new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" });
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("plain"));
        var tolerant = DaemonSetHarness.DaemonSet("tolerant");
        tolerant.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }];
        await _h.CreateAsync(tolerant);

        await _h.SyncAsync("plain");
        await _h.SyncAsync("tolerant");

        Assert.Equal(["tolerant"], _h.StoredPods().Select(p => p.Metadata.Labels["app"]));
    }

    [Fact]
    public async Task An_unschedulable_node_still_gets_its_daemon_pod()
    {
        await _h.CreateNodeAsync("cordoned", null, new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" });
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));

        await _h.SyncAsync("agent");

        Assert.Equal(["cordoned"], _h.PodsByNode().Keys);
    }

    [Fact]
    public async Task A_new_node_gets_a_pod()
    {
        await _h.CreateNodeAsync("a");
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");

        await _h.CreateNodeAsync("b");
        await _h.SyncAsync("agent");

        Assert.Equal(["a", "b"], _h.PodsByNode().Keys.Order());
    }

    [Fact]
    public async Task The_pod_of_a_node_that_no_longer_matches_is_deleted()
    {
        await _h.CreateNodeAsync("a", new Dictionary<string, string> { ["role"] = "edge" });
        var ds = DaemonSetHarness.DaemonSet("agent");
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["role"] = "edge" };
        await _h.CreateAsync(ds);
        await _h.SyncAsync("agent");
        var pod = Assert.Single(_h.StoredPods());

        await _h.Client.MutateAsync<V1Node>(null, "a", n => n.Metadata.Labels["role"] = "core", _h.Ct);
        await _h.SyncAsync("agent");

        Assert.Empty(_h.PodsByNode());
        Assert.Contains(await _h.EventsAsync("agent"), e => e.Reason == "SuccessfulDelete" && e.Message == $"Deleted pod: {pod.Name()}");
    }

    [Fact]
    public async Task Of_two_pods_on_a_node_the_newer_is_deleted()
    {
        await _h.CreateNodeAsync("a");
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");
        var oldest = Assert.Single(_h.StoredPods());
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        var twin = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(oldest));
        twin.Metadata = new V1ObjectMeta
        {
            Name = "agent-twin", NamespaceProperty = "default", Labels = oldest.Metadata.Labels, OwnerReferences = oldest.Metadata.OwnerReferences,
        };
        twin.Status = null;
        await _h.Client.CreateAsync(twin, _h.Ct);

        await _h.SyncAsync("agent");

        Assert.Equal([oldest.Name()], _h.PodsByNode()["a"]);
    }

    [Fact]
    public async Task A_failed_daemon_pod_is_deleted_with_a_FailedDaemonPod_event_and_then_replaced()
    {
        await _h.CreateNodeAsync("a");
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");
        var failed = Assert.Single(_h.StoredPods());
        await _h.SetPhaseAsync(failed.Name(), "Failed");

        await _h.SyncAsync("agent");
        await _h.SyncAsync("agent");

        var replacement = Assert.Single(_h.PodsByNode()["a"]);
        Assert.NotEqual(failed.Name(), replacement);
        Assert.Contains(await _h.EventsAsync("agent"), e => e.Reason == "FailedDaemonPod" && e.Type == "Warning"
            && e.Message == $"Found failed daemon pod default/{failed.Name()} on node a, will try to kill it");
    }

    [Fact]
    public async Task A_rolling_update_takes_down_at_most_max_unavailable_old_pods()
    {
        foreach (var node in new[] { "a", "b", "c" })
        {
            await _h.CreateNodeAsync(node);
        }

        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");
        await _h.MakeAllReadyAsync();
        var before = _h.StoredPods().Select(p => p.Name()).ToHashSet();

        await _h.Client.MutateAsync<V1DaemonSet>("default", "agent", d => d.Spec.Template.Spec.Containers[0].Image = "busybox:1.36", _h.Ct);
        await _h.SyncAsync("agent");
        Assert.Equal(2, _h.PodsByNode().Values.Sum(p => p.Count));

        // The emptied node gets a pod of the new template; while it is not ready no other old pod goes.
        await _h.SyncAsync("agent");
        await _h.SyncAsync("agent");

        var pods = _h.StoredPods();
        var fresh = Assert.Single(pods, p => !before.Contains(p.Name()));
        Assert.Equal("2", fresh.Metadata.Labels[DaemonPods.TemplateGenerationLabel]);
        Assert.Equal("busybox:1.36", fresh.Spec.Containers[0].Image);
        Assert.Equal(3, pods.Count);
    }

    [Fact]
    public async Task OnDelete_leaves_pods_of_an_older_template_running()
    {
        await _h.CreateNodeAsync("a");
        var ds = DaemonSetHarness.DaemonSet("agent");
        ds.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" };
        await _h.CreateAsync(ds);
        await _h.SyncAsync("agent");
        await _h.MakeAllReadyAsync();
        var pod = Assert.Single(_h.StoredPods());

        await _h.Client.MutateAsync<V1DaemonSet>("default", "agent", d => d.Spec.Template.Spec.Containers[0].Image = "busybox:1.36", _h.Ct);
        await _h.SyncAsync("agent");

        Assert.Equal([pod.Name()], _h.PodsByNode()["a"]);
        Assert.Equal(0, _h.StoredDaemonSet("agent").Status.UpdatedNumberScheduled ?? 0);
    }

    [Fact]
    public async Task The_status_counts_nodes_by_their_oldest_pod()
    {
        await _h.CreateNodeAsync("a");
        await _h.CreateNodeAsync("b");
        await _h.CreateAsync(DaemonSetHarness.DaemonSet("agent"));
        await _h.SyncAsync("agent");
        var pods = _h.StoredPods();
        await _h.Client.MutateAsync<V1Pod>("default", pods[0].Name(), p => p.Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = _h.Time.GetUtcNow().UtcDateTime }],
        }, _h.Ct, "status");

        await _h.SyncAsync("agent");

        var status = _h.StoredDaemonSet("agent").Status;
        Assert.Equal((2, 2, 0, 1, 2, 1, 1), (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled,
            status.NumberReady, status.UpdatedNumberScheduled, status.NumberAvailable, status.NumberUnavailable));
        Assert.Equal(1, status.ObservedGeneration);
    }
}
