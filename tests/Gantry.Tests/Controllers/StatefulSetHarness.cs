using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Controllers;

/// <summary>
/// The StatefulSet controller on real informers over a registry, synced by the test (its loop never runs); the test
/// plays the kubelet, marking pods running and ready, and finishes graceful deletions.
/// </summary>
internal sealed class StatefulSetHarness : IAsyncDisposable
{
    private static readonly ResourceType StatefulSets = ResourceCatalog.Get("apps", "statefulsets");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Revisions = ResourceCatalog.Get("apps", "controllerrevisions");
    private static readonly ResourceType Claims = ResourceCatalog.Get("", "persistentvolumeclaims");

    private readonly InformedRegistry _registry;
    private readonly RecordedEvents _events;
    private readonly StatefulSetController _controller;

    private StatefulSetHarness(InformedRegistry registry)
    {
        _registry = registry;
        _events = registry.RecordEvents("statefulset-controller");
        _controller = new StatefulSetController(registry.Informers, registry.Client, _events.Recorder, registry.Context.Time, NullLogger<StatefulSetController>.Instance);
    }

    public InProcessClient Client => _registry.Client;

    public FakeTimeProvider Time => _registry.Context.Time;

    public CancellationToken Ct => _registry.Context.Ct;

    public static async Task<StatefulSetHarness> StartAsync()
    {
        var harness = new StatefulSetHarness(await InformedRegistry.CreateAsync());
        await harness._registry.RunInformersAsync();
        return harness;
    }

    public static V1StatefulSet StatefulSet(string name, int replicas, string podManagementPolicy = "OrderedReady") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            PodManagementPolicy = podManagementPolicy,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    public Task<V1StatefulSet> CreateAsync(V1StatefulSet set) => Client.CreateAsync(set, Ct);

    /// <summary>One sync, once the informers hold the sets, pods and revisions as stored.</summary>
    public async Task SyncAsync(string name)
    {
        await _registry.SettleAsync<V1StatefulSet>(StatefulSets);
        await _registry.SettleAsync<V1Pod>(Pods);
        await _registry.SettleAsync<V1ControllerRevision>(Revisions);
        await _registry.SettleAsync<V1PersistentVolumeClaim>(Claims);
        await _controller.SyncAsync($"default/{name}", Ct);
    }

    /// <summary>Syncs, then marks every pod running and ready, as often as it takes for the set to stop creating pods.</summary>
    public async Task SyncUntilReadyAsync(string name)
    {
        for (var round = 0; round < 20; round++)
        {
            await SyncAsync(name);
            var waiting = LivePods().Where(p => p.Status?.Phase != "Running").Select(p => p.Name()).ToArray();
            await FinishDeletionsAsync();
            if (waiting.Length == 0 && StoredSet(name).Status?.ReadyReplicas == StoredSet(name).Spec.Replicas
                && StoredSet(name).Status?.UpdatedReplicas == StoredSet(name).Spec.Replicas)
            {
                return;
            }

            await MakeReadyAsync(waiting);
        }
    }

    /// <summary>Marks the pods running and ready since now, as a kubelet would.</summary>
    public async Task MakeReadyAsync(params string[] pods)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        foreach (var pod in pods)
        {
            await Client.MutateAsync<V1Pod>("default", pod, p => p.Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now }],
            }, Ct, "status");
        }
    }

    public Task<V1Pod> SetPhaseAsync(string pod, string phase) =>
        Client.MutateAsync<V1Pod>("default", pod, p => p.Status = new V1PodStatus { Phase = phase }, Ct, "status");

    /// <summary>Removes the pods whose graceful deletion began, as the kubelet does once their containers stop.</summary>
    public async Task FinishDeletionsAsync()
    {
        foreach (var pod in StoredPods().Where(p => p.Metadata.DeletionTimestamp is not null))
        {
            await Client.DeleteAsync<V1Pod>("default", pod.Name(), new DeleteRequest(GracePeriodSeconds: 0), Ct);
        }
    }

    public Task<V1StatefulSet> ChangeAsync(string name, Action<V1StatefulSet> change) => Client.MutateAsync("default", name, change, Ct);

    /// <summary>Sets the image of the set's only container, as <c>kubectl set image</c> does.</summary>
    public Task<V1StatefulSet> SetImageAsync(string name, string image) => ChangeAsync(name, s => s.Spec.Template.Spec.Containers[0].Image = image);

    public V1StatefulSet StoredSet(string name) => KubernetesJson.Deserialize<V1StatefulSet>(StoredJson(name).ToJsonString());

    public JsonObject StoredJson(string name) => _registry.Context.Get(StatefulSets, name)!;

    public List<V1Pod> StoredPods() => _registry.Context.ListStored<V1Pod>(Pods);

    public List<V1PersistentVolumeClaim> StoredClaims() => [.. _registry.Context.ListStored<V1PersistentVolumeClaim>(Claims).OrderBy(c => c.Name(), StringComparer.Ordinal)];

    /// <summary>The names of the pods not being deleted, in ordinal order.</summary>
    public List<V1Pod> LivePods() => [.. StoredPods().Where(p => p.Metadata.DeletionTimestamp is null).OrderBy(StatefulPods.Ordinal)];

    public List<string> LivePodNames() => [.. LivePods().Select(p => p.Name())];

    /// <summary>The ControllerRevisions, oldest revision first.</summary>
    public List<V1ControllerRevision> StoredRevisions() => [.. _registry.Context.ListStored<V1ControllerRevision>(Revisions).OrderBy(r => r.Revision)];

    /// <summary>The events about the set, once every event recorded before has been written.</summary>
    public Task<List<Corev1Event>> EventsAsync(string name) => _events.AboutAsync(StoredSet(name));

    public ValueTask DisposeAsync() => _registry.DisposeAsync();
}
