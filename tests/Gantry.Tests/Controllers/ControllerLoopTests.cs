using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class ControllerLoopTests
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType ReplicaSets = ResourceCatalog.Get("apps", "replicasets");

    private static List<V1Pod> PodsOf(ControllerHarness h, string app) =>
        h.Context.Cache.List(Pods.KeyPrefix, new Gantry.Server.Storage.WatchFilter(Pods.NamespacePrefix("default"))).Items
            .Select(o => KubernetesJson.Deserialize<V1Pod>(System.Text.Encoding.UTF8.GetString(o.Json)))
            .Where(p => DeploymentRevisions.ValueOf(p.Metadata.Labels, "app") == app).ToList();

    private static V1ReplicaSet ReplicaSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx:1" }] },
            },
        },
    };

    [Fact]
    public async Task A_replica_set_creates_exactly_its_replicas_and_replaces_a_deleted_pod()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.Client.CreateAsync(ReplicaSet("web", 3), h.Context.Ct);

        await h.UntilAsync(Pods, () => PodsOf(h, "web").Count == 3);
        var victim = PodsOf(h, "web")[0];
        await h.Client.DeleteAsync<V1Pod>("default", victim.Name(), DeleteRequest.Default, h.Context.Ct);

        await h.UntilAsync(Pods, () => PodsOf(h, "web") is { Count: 3 } pods && pods.All(p => p.Name() != victim.Name()));
        Assert.All(PodsOf(h, "web"), p => Assert.Equal("ReplicaSet", OwnerReferences.ControllerOf(p.Metadata)!.Kind));
    }

    [Fact]
    public async Task A_replica_set_adopts_a_matching_orphan_instead_of_creating_a_pod()
    {
        await using var h = await ControllerHarness.StartAsync();
        var orphan = await h.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "orphan", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "adopt" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx:1" }] },
        }, h.Context.Ct);

        await h.Client.CreateAsync(ReplicaSet("adopt", 2), h.Context.Ct);

        await h.UntilAsync(Pods, () => PodsOf(h, "adopt").Count(p => OwnerReferences.ControllerOf(p.Metadata) is not null) == 2);
        Assert.Equal(2, PodsOf(h, "adopt").Count);
        Assert.Contains(PodsOf(h, "adopt"), p => p.Uid() == orphan.Uid());
    }

    [Fact]
    public async Task A_pod_whose_labels_stop_matching_is_released_without_an_empty_owner_list()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.Client.CreateAsync(ReplicaSet("keep", 1), h.Context.Ct);
        await h.UntilAsync(Pods, () => PodsOf(h, "keep").Count == 1);
        var pod = PodsOf(h, "keep")[0];

        await h.Client.MutateAsync<V1Pod>("default", pod.Name(), p => p.Metadata.Labels["app"] = "elsewhere", h.Context.Ct);

        await h.UntilAsync(Pods, () => h.Context.Get(Pods, pod.Name()) is { } released && released["metadata"]!["ownerReferences"] is null);
        Assert.Null(h.Context.Get(Pods, pod.Name())!["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Deleting_a_replica_set_in_the_background_deletes_its_pods()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.Client.CreateAsync(ReplicaSet("gone", 2), h.Context.Ct);
        await h.UntilAsync(Pods, () => PodsOf(h, "gone").Count == 2);

        await h.Client.DeleteAsync<V1ReplicaSet>("default", "gone", new DeleteRequest(PropagationPolicy: "Background"), h.Context.Ct);

        await h.UntilAsync(Pods, () => PodsOf(h, "gone").Count == 0);
    }

    [Fact]
    public async Task A_foreground_deletion_waits_for_the_pods_then_removes_the_owner()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.Client.CreateAsync(ReplicaSet("fg", 2), h.Context.Ct);
        await h.UntilAsync(Pods, () => PodsOf(h, "fg").Count == 2);

        await h.Client.DeleteAsync<V1ReplicaSet>("default", "fg", new DeleteRequest(PropagationPolicy: "Foreground"), h.Context.Ct);

        await h.UntilAsync(ReplicaSets, () => h.Context.Registry.Get(ReplicaSets, "default", "fg") is null);
        Assert.Empty(PodsOf(h, "fg"));
    }

    [Fact]
    public async Task Orphan_deletion_keeps_the_pods_without_their_owner_reference()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.Client.CreateAsync(ReplicaSet("keep", 2), h.Context.Ct);
        await h.UntilAsync(Pods, () => PodsOf(h, "keep").Count == 2);

        await h.Client.DeleteAsync<V1ReplicaSet>("default", "keep", new DeleteRequest(PropagationPolicy: "Orphan"), h.Context.Ct);

        await h.UntilAsync(ReplicaSets, () => h.Context.Registry.Get(ReplicaSets, "default", "keep") is null);
        Assert.Equal(2, PodsOf(h, "keep").Count);
        Assert.All(PodsOf(h, "keep"), p => Assert.Null(p.Metadata.OwnerReferences));
    }

    [Fact]
    public async Task A_deployment_rolls_a_new_template_into_a_second_revision()
    {
        await using var h = await ControllerHarness.StartAsync();
        var d = Deployments.Rolling(2, "1", "1");
        d.Metadata = new V1ObjectMeta { Name = "roll", NamespaceProperty = "default" };
        d.Spec.Selector.MatchLabels["app"] = "roll";
        d.Spec.Template.Metadata.Labels["app"] = "roll";
        await h.Client.CreateAsync(d, h.Context.Ct);
        await h.UntilAsync(Pods, () => PodsOf(h, "roll").Count == 2);

        await h.Client.MutateAsync<V1Deployment>("default", "roll", c => c.Spec.Template.Spec.Containers[0].Image = "nginx:2", h.Context.Ct);

        List<V1ReplicaSet> Owned() => h.Context.Cache.List(ReplicaSets.KeyPrefix, new Gantry.Server.Storage.WatchFilter(ReplicaSets.NamespacePrefix("default"))).Items
            .Select(o => KubernetesJson.Deserialize<V1ReplicaSet>(System.Text.Encoding.UTF8.GetString(o.Json)))
            .Where(rs => rs.Name().StartsWith("roll-", StringComparison.Ordinal)).ToList();
        await h.UntilAsync(ReplicaSets, () => Owned().Count == 2 && Owned().Any(rs => DeploymentRevisions.Revision(rs.Metadata) == 2));
        var revisions = Owned().Select(rs => DeploymentRevisions.Revision(rs.Metadata)).Order().ToList();
        Assert.Equal([1L, 2L], revisions);
        Assert.All(Owned(), rs => Assert.True(rs.Spec.Selector.MatchLabels.ContainsKey(DeploymentRevisions.PodTemplateHashLabel)));
    }
}
