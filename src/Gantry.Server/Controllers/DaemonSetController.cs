using System.Collections.Concurrent;
using System.Globalization;
using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' DaemonSet controller: one pod of the DaemonSet on every node its template fits (node name, node
/// selector, required node affinity, and the taints it tolerates with the daemon tolerations added), pinned to the
/// node by a required <c>metadata.name</c> affinity so the scheduler places it. Extra pods, pods on nodes that should
/// no longer run one, and failed pods (with a back-off per node) are deleted; a RollingUpdate replaces pods of an
/// older template at most maxUnavailable at a time, or, with maxSurge, starts the new pod beside the old one at most
/// maxSurge nodes at a time; the status counts the nodes. Each template the DaemonSet has had is kept as a
/// ControllerRevision, whose hash labels the pods made from it, for <c>kubectl rollout history</c> and <c>undo</c>.
/// </summary>
public sealed class DaemonSetController : BackgroundService
{
    /// <summary>At most this many pods are created or deleted by one sync (kube's <c>BurstReplicas</c> for DaemonSets).</summary>
    public const int BurstReplicas = 250;

    private const string Component = "daemonset-controller";
    private const int Workers = 2;

    private readonly SharedInformers _informers;
    private readonly Informer<V1DaemonSet> _daemonSets;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<V1ControllerRevision> _revisions;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly ControllerExpectations _expectations;
    private readonly PodControl _podControl;
    private readonly PodClaims _claims;
    private readonly DaemonSetHistory _history;
    private readonly FailedPodBackoff _failedPods;
    private readonly TimeProvider _time;
    private readonly ILogger<DaemonSetController> _logger;
    private readonly WorkQueue<string> _queue;

    public DaemonSetController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<DaemonSetController> logger)
    {
        _informers = informers;
        _daemonSets = informers.For<V1DaemonSet>();
        _pods = informers.For<V1Pod>();
        PodsByController.AddTo(_pods);
        _nodes = informers.For<V1Node>();
        _revisions = informers.For<V1ControllerRevision>();
        _client = client;
        _events = events;
        _time = time;
        _logger = logger;
        _expectations = new ControllerExpectations(time);
        _podControl = new PodControl(client, events, _expectations, Component);
        _claims = new PodClaims(client);
        _history = new DaemonSetHistory(_revisions, client);
        _failedPods = new FailedPodBackoff(time);
        _queue = new WorkQueue<string>(time);
        _daemonSets.OnChange(OnDaemonSetChange);
        _pods.OnChange(new ControlledPodEvents<V1DaemonSet>(_daemonSets, _expectations, _queue, SelectorOf, ds => ds.Spec?.MinReadySeconds ?? 0).OnPodChange);
        _nodes.OnChange(OnNodeChange);
        _revisions.OnChange(new ControlledRevisionEvents<V1DaemonSet>(_daemonSets, _queue, SelectorOf).OnRevisionChange);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing DaemonSet {Key} failed", key), stoppingToken);

    /// <summary>One reconcile of the DaemonSet named by <paramref name="key"/> (namespace/name).</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var ds = _daemonSets.Get(key[..slash], key[(slash + 1)..]);
        if (ds is null)
        {
            _expectations.Forget(key);
            return;
        }

        if (ds.Metadata.DeletionTimestamp is not null || ds.Spec?.Template is not { } template)
        {
            return;
        }

        var nodes = _nodes.List();
        var podsByNode = await PodsByNodeAsync(ds, cancellationToken).ConfigureAwait(false);
        var (current, old) = await _history.ConstructAsync(ds, SelectorOf(ds), Pods(podsByNode), cancellationToken).ConfigureAwait(false);
        var hash = DaemonSetRevisions.HashOf(current) ?? "";
        if (!_expectations.Satisfied(key))
        {
            // Only the status: the generation is not observed, as nothing was done for it.
            await UpdateStatusAsync(ds, nodes, podsByNode, hash, observe: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        var error = await ManageAsync(key, ds, template, nodes, podsByNode, hash, cancellationToken).ConfigureAwait(false);
        if (error is null && _expectations.Satisfied(key) && ds.Spec.UpdateStrategy?.Type is null or "RollingUpdate")
        {
            var (oldPods, surgeNodes) = DaemonSetSurge.Allowed(ds)
                ? DaemonSetSurge.Step(ds, nodes, podsByNode, hash, _time.GetUtcNow())
                : (DaemonSetMath.OldPodsToDelete(ds, nodes, podsByNode, hash, _time.GetUtcNow()), []);
            error = await SyncNodesAsync(key, ds, template, oldPods, surgeNodes, hash, cancellationToken).ConfigureAwait(false);
        }

        if (error is null)
        {
            await _history.CleanupAsync(ds, old, Pods(podsByNode), cancellationToken).ConfigureAwait(false);
        }

        await UpdateStatusAsync(ds, nodes, podsByNode, hash, observe: true, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw error;
        }
    }

    private static IEnumerable<V1Pod> Pods(Dictionary<string, List<V1Pod>> podsByNode) => podsByNode.Values.SelectMany(p => p);

    /// <summary>The DaemonSet's pods by the node they are on or pinned to (<c>getNodesToDaemonPods</c>), deleted finished ones left out.</summary>
    private async Task<Dictionary<string, List<V1Pod>>> PodsByNodeAsync(V1DaemonSet ds, CancellationToken cancellationToken)
    {
        var selector = SelectorOf(ds);
        var claimed = await _claims.ClaimAsync(ds, selector, PodsByController.OwnedOrOrphans(_pods, ds), cancellationToken).ConfigureAwait(false);
        var byNode = new Dictionary<string, List<V1Pod>>();
        foreach (var pod in claimed)
        {
            if (PodState.IsTerminal(pod) && pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            if (DaemonPods.TargetNodeName(pod) is { } node)
            {
                (byNode.TryGetValue(node, out var list) ? list : byNode[node] = []).Add(pod);
            }
        }

        return byNode;
    }

    /// <summary>
    /// Decides, node by node, which daemon pods to create and delete (<c>manage</c> and <c>podsShouldBeOnNode</c>), and
    /// deletes pods pinned to nodes that no longer exist and were never scheduled.
    /// </summary>
    private async Task<Exception?> ManageAsync(
        string key, V1DaemonSet ds, V1PodTemplateSpec template, List<V1Node> nodes, Dictionary<string, List<V1Pod>> podsByNode, string hash,
        CancellationToken cancellationToken)
    {
        List<string> needing = [];
        List<V1Pod> toDelete = [];
        foreach (var node in nodes)
        {
            var (shouldRun, shouldContinueRunning) = DaemonPods.ShouldRun(node, ds);
            var pods = podsByNode.GetValueOrDefault(node.Name()) ?? [];
            if (shouldRun && pods.Count == 0)
            {
                needing.Add(node.Name());
            }
            else if (shouldContinueRunning)
            {
                toDelete.AddRange(PodsToReplaceOrTrim(key, ds, node.Name(), pods, hash));
            }
            else
            {
                toDelete.AddRange(pods.Where(p => p.Metadata.DeletionTimestamp is null));
            }
        }

        var existing = nodes.Select(n => n.Name()).ToHashSet();
        toDelete.AddRange(podsByNode.Where(p => !existing.Contains(p.Key))
            .SelectMany(p => p.Value)
            .Where(p => string.IsNullOrEmpty(p.Spec?.NodeName)));

        return await SyncNodesAsync(key, ds, template, toDelete, needing, hash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// On a node that keeps its daemon: failed pods are deleted (unless the node's back-off is still running, when the
    /// DaemonSet is looked at again once it ends), succeeded ones too, and of several running pods all but the oldest,
    /// or, when surging, all but an old one and the new one that replaces it.
    /// </summary>
    private List<V1Pod> PodsToReplaceOrTrim(string key, V1DaemonSet ds, string nodeName, List<V1Pod> pods, string hash)
    {
        List<V1Pod> toDelete = [], running = [];
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            switch (pod.Status?.Phase)
            {
                case "Failed":
                    var backoffKey = $"{ds.Uid()}/{(ds.Status?.ObservedGeneration ?? 0).ToString(CultureInfo.InvariantCulture)}/{nodeName}";
                    if (_failedPods.Remaining(backoffKey) is { } delay)
                    {
                        _queue.AddAfter(key, delay);
                        continue;
                    }

                    _failedPods.Next(backoffKey);
                    _events.Record(ds, "Warning", "FailedDaemonPod",
                        $"Found failed daemon pod {pod.Namespace()}/{pod.Name()} on node {nodeName}, will try to kill it", Component);
                    toDelete.Add(pod);
                    break;
                case "Succeeded":
                    toDelete.Add(pod);
                    break;
                default:
                    running.Add(pod);
                    break;
            }
        }

        toDelete.AddRange(DaemonSetSurge.Allowed(ds)
            ? DaemonSetSurge.Extra(running, hash, ds.Spec?.MinReadySeconds ?? 0, _time.GetUtcNow())
            : DaemonSetMath.Oldest(running).Skip(1));
        return toDelete;
    }

    /// <summary>Deletes and creates up to <see cref="BurstReplicas"/> pods each (<c>syncNodes</c>); returns the first failure.</summary>
    private async Task<Exception?> SyncNodesAsync(
        string key, V1DaemonSet ds, V1PodTemplateSpec template, List<V1Pod> toDelete, List<string> needing, string hash, CancellationToken cancellationToken)
    {
        Exception? error = null;

        // Deletions go first: creations that follow replace the expectations, and a deletion expected but forgotten costs
        // at most a repeated delete, where a forgotten creation would double a pod.
        if (toDelete.Count > 0)
        {
            error = await _podControl.DeleteAsync(key, ds, toDelete.Take(BurstReplicas).ToList(), cancellationToken).ConfigureAwait(false);
        }

        if (needing.Count > 0)
        {
            var podTemplate = DaemonPods.Template(template, DaemonSetRules.TemplateGeneration(ds), hash);
            var nodes = new ConcurrentQueue<string>(needing.Take(BurstReplicas));
            var created = await _podControl.CreateAsync(key, ds, nodes.Count, () => PodControl.FromTemplate(ds, podTemplate, pod =>
            {
                nodes.TryDequeue(out var node);
                pod.Spec.Affinity = DaemonPods.PinToNode(pod.Spec.Affinity, node!);
            }), cancellationToken).ConfigureAwait(false);
            error ??= created;
        }

        return error;
    }

    private async Task UpdateStatusAsync(
        V1DaemonSet ds, List<V1Node> nodes, Dictionary<string, List<V1Pod>> podsByNode, string hash, bool observe, CancellationToken cancellationToken)
    {
        var counts = DaemonSetMath.Count(ds, nodes, podsByNode, hash, _time.GetUtcNow());
        var generation = ds.Metadata.Generation ?? 0;
        var status = ds.Status ?? new V1DaemonSetStatus();
        if (counts == CountsOf(status) && (status.ObservedGeneration ?? 0) >= generation)
        {
            RecheckAvailability(ds, counts);
            return;
        }

        try
        {
            await _client.MutateAsync<V1DaemonSet>(ds.Namespace(), ds.Name(), current =>
            {
                var s = current.Status ??= new V1DaemonSetStatus();
                s.DesiredNumberScheduled = counts.DesiredNumberScheduled;
                s.CurrentNumberScheduled = counts.CurrentNumberScheduled;
                s.NumberMisscheduled = counts.NumberMisscheduled;
                s.NumberReady = counts.NumberReady;
                s.UpdatedNumberScheduled = OmitZero(counts.UpdatedNumberScheduled);
                s.NumberAvailable = OmitZero(counts.NumberAvailable);
                s.NumberUnavailable = OmitZero(counts.NumberUnavailable);
                if (observe)
                {
                    s.ObservedGeneration = generation;
                }
            }, cancellationToken, "status").ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return;
        }

        RecheckAvailability(ds, counts);
    }

    /// <summary>Ready pods become available after minReadySeconds with no event to say so: look again then.</summary>
    private void RecheckAvailability(V1DaemonSet ds, DaemonSetCounts counts)
    {
        if (ds.Spec?.MinReadySeconds is > 0 and var minReady && counts.NumberReady != counts.NumberAvailable)
        {
            _queue.AddAfter(KeyOf(ds), TimeSpan.FromSeconds(minReady));
        }
    }

    /// <summary>These counts are <c>omitempty</c> in apps/v1, so a zero is not written.</summary>
    private static int? OmitZero(int value) => value == 0 ? null : value;

    private static DaemonSetCounts CountsOf(V1DaemonSetStatus status) => new(
        status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled, status.NumberReady,
        status.UpdatedNumberScheduled ?? 0, status.NumberAvailable ?? 0);

    private void OnDaemonSetChange(V1DaemonSet? old, V1DaemonSet? current)
    {
        if (current is null)
        {
            _expectations.Forget(KeyOf(old!));
        }

        _queue.Add(KeyOf(current ?? old!));
    }

    private void OnNodeChange(V1Node? old, V1Node? current)
    {
        foreach (var ds in _daemonSets.List())
        {
            // A new node matters to the DaemonSets that should run on it; a changed one to those whose verdict changed.
            var matters = (old, current) switch
            {
                (null, { } added) => DaemonPods.ShouldRun(added, ds).ShouldRun,
                ({ } before, { } after) => DaemonPods.ShouldRun(before, ds) != DaemonPods.ShouldRun(after, ds),
                _ => true,
            };
            if (matters)
            {
                _queue.Add(KeyOf(ds));
            }
        }
    }

    private static LabelSelector SelectorOf(V1DaemonSet ds) => LabelSelector.FromModelOrNothing(ds.Spec?.Selector);

    private static string KeyOf(V1DaemonSet ds) => $"{ds.Namespace()}/{ds.Name()}";
}
