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
/// The DaemonSet controller on real informers over a registry, synced by the test (its loop never runs). No scheduler
/// runs: the controller's pods stay pinned to their node by affinity, which is where it counts them.
/// </summary>
internal sealed class DaemonSetHarness : IAsyncDisposable
{
    private static readonly ResourceType DaemonSets = ResourceCatalog.Get("apps", "daemonsets");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");
    private static readonly ResourceType Revisions = ResourceCatalog.Get("apps", "controllerrevisions");

    private readonly InformedRegistry _registry;
    private readonly RecordedEvents _events;
    private readonly DaemonSetController _controller;

    private DaemonSetHarness(InformedRegistry registry)
    {
        _registry = registry;
        _events = registry.RecordEvents("daemonset-controller");
        _controller = new DaemonSetController(registry.Informers, registry.Client, _events.Recorder, registry.Context.Time, NullLogger<DaemonSetController>.Instance);
    }

    public InProcessClient Client => _registry.Client;

    public FakeTimeProvider Time => _registry.Context.Time;

    public CancellationToken Ct => _registry.Context.Ct;

    public static async Task<DaemonSetHarness> StartAsync()
    {
        var harness = new DaemonSetHarness(await InformedRegistry.CreateAsync());
        await harness._registry.RunInformersAsync();
        return harness;
    }

    public static V1DaemonSet DaemonSet(string name, string image = "busybox") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = image }] },
            },
        },
    };

    public Task<V1DaemonSet> CreateAsync(V1DaemonSet ds) => Client.CreateAsync(ds, Ct);

    public Task<V1Node> CreateNodeAsync(string name, Dictionary<string, string>? labels = null, params V1Taint[] taints) =>
        Client.CreateAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1NodeSpec { Taints = taints.Length == 0 ? null : taints },
        }, Ct);

    /// <summary>One sync, once the informers hold the DaemonSets, pods, nodes and revisions as stored.</summary>
    public async Task SyncAsync(string name)
    {
        await _registry.SettleAsync<V1DaemonSet>(DaemonSets);
        await _registry.SettleAsync<V1Pod>(Pods);
        await _registry.SettleAsync<V1Node>(Nodes);
        await _registry.SettleAsync<V1ControllerRevision>(Revisions);
        await _controller.SyncAsync($"default/{name}", Ct);
    }

    /// <summary>Marks every pod running and ready since now, as a kubelet would.</summary>
    public Task MakeAllReadyAsync() => MakeReadyAsync([.. StoredPods().Select(p => p.Name())]);

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

    public V1DaemonSet StoredDaemonSet(string name) => KubernetesJson.Deserialize<V1DaemonSet>(_registry.Context.Get(DaemonSets, name)!.ToJsonString());

    public List<V1Pod> StoredPods() => _registry.Context.ListStored<V1Pod>(Pods);

    /// <summary>The ControllerRevisions, oldest revision first.</summary>
    public List<V1ControllerRevision> StoredRevisions() => [.. _registry.Context.ListStored<V1ControllerRevision>(Revisions).OrderBy(r => r.Revision)];

    /// <summary>Sets the image of the DaemonSet's only container, as <c>kubectl set image</c> does.</summary>
    public Task<V1DaemonSet> SetImageAsync(string name, string image) =>
        Client.MutateAsync<V1DaemonSet>("default", name, d => d.Spec.Template.Spec.Containers[0].Image = image, Ct);

    /// <summary>The live pods by the node they are pinned to.</summary>
    public Dictionary<string, List<string>> PodsByNode() =>
        StoredPods().Where(p => p.Metadata.DeletionTimestamp is null)
            .GroupBy(p => DaemonPods.TargetNodeName(p) ?? "")
            .ToDictionary(g => g.Key, g => g.Select(p => p.Name()).ToList());

    /// <summary>The events about the DaemonSet, once every event recorded before has been written.</summary>
    public Task<List<Corev1Event>> EventsAsync(string name) => _events.AboutAsync(StoredDaemonSet(name));

    public ValueTask DisposeAsync() => _registry.DisposeAsync();
}
