using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' disruption controller: keeps every PodDisruptionBudget's status current — the pods it expects, how many
/// are healthy and must stay so, and the disruptions (evictions) that leaves — for the eviction subresource to spend.
/// Queued by its budget's changes and by the changes of the pods it selects; a budget with evictions pending is looked
/// at again when the earliest of them expires. When the count fails, the budget allows no disruption (kube's failSafe).
/// </summary>
public sealed class DisruptionController : BackgroundService
{
    private const int Workers = 1;

    private readonly SharedInformers _informers;
    private readonly Informer<V1PodDisruptionBudget> _budgets;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1ReplicationController> _replicationControllers;
    private readonly Informer<V1ReplicaSet> _replicaSets;
    private readonly Informer<V1StatefulSet> _statefulSets;
    private readonly Informer<V1Deployment> _deployments;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public DisruptionController(SharedInformers informers, InProcessClient client, EventRecorder events, TimeProvider time, ILogger<DisruptionController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _budgets = informers.For<V1PodDisruptionBudget>();
        _pods = informers.For<V1Pod>();
        _replicationControllers = informers.For<V1ReplicationController>();
        _replicaSets = informers.For<V1ReplicaSet>();
        _statefulSets = informers.For<V1StatefulSet>();
        _deployments = informers.For<V1Deployment>();
        _client = client;
        _events = events;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _budgets.OnChange((old, current) => _queue.Add(Key((current ?? old)!.Metadata)));
        _pods.OnChange(OnPodChange);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing PodDisruptionBudget {Key} failed", key), stoppingToken);

    /// <summary>One sync of the budget named by <paramref name="key"/> (namespace/name).</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        if (_budgets.Get(ns, name) is not { } pdb)
        {
            return;
        }

        try
        {
            await TrySyncAsync(pdb, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            // Someone (an eviction) wrote the status meanwhile: count again from what they wrote, not fail-safe.
            throw;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ApiException)
        {
            _logger.LogWarning("Failed to sync PodDisruptionBudget {Key}: {Message}", key, ex.Message);
            await FailSafeAsync(pdb, ex.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TrySyncAsync(V1PodDisruptionBudget pdb, CancellationToken cancellationToken)
    {
        var pods = PodsOf(pdb);
        if (pods.Count == 0)
        {
            _events.Record(pdb, "Normal", "NoPods", "No matching pods found");
        }

        ExpectedPods expected;
        try
        {
            expected = DisruptionBudgetMath.Expected(pdb.Spec ?? new V1PodDisruptionBudgetSpec(), pods, FindScale);
        }
        catch (InvalidOperationException ex)
        {
            _events.Record(pdb, "Warning", "CalculateExpectedPodCountFailed", $"Failed to calculate the number of expected pods: {ex.Message}");
            throw;
        }

        if (expected.Unmanaged.Count > 0)
        {
            _events.Record(pdb, "Warning", "UnmanagedPods",
                $"Pods selected by this PodDisruptionBudget (selector: {SelectorText(pdb.Spec?.Selector)}) were found to be unmanaged. "
                + "As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "
                + "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
        }

        var now = _time.GetUtcNow();
        var (disrupted, recheck) = DisruptionBudgetMath.Disrupted(pdb.Status?.DisruptedPods, pods, now);
        var healthy = DisruptionBudgetMath.CurrentHealthy(pods, disrupted, now);
        await UpdateStatusAsync(pdb, healthy, expected, disrupted, now, cancellationToken).ConfigureAwait(false);
        if (recheck is { } at)
        {
            _queue.AddAfter(Key(pdb.Metadata), at - now);
        }
    }

    /// <summary><c>updatePdbStatus</c>: writes the counts, unless the stored status already says the same.</summary>
    private async Task UpdateStatusAsync(
        V1PodDisruptionBudget pdb, int healthy, ExpectedPods expected, Dictionary<string, DateTime?> disrupted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var allowed = DisruptionBudgetMath.DisruptionsAllowed(healthy, expected.DesiredHealthy, expected.Count);
        var status = pdb.Status ?? new V1PodDisruptionBudgetStatus();
        if (status.CurrentHealthy == healthy
            && status.DesiredHealthy == expected.DesiredHealthy
            && status.ExpectedPods == expected.Count
            && status.DisruptionsAllowed == allowed
            && SameDisrupted(status.DisruptedPods, disrupted)
            && (status.ObservedGeneration ?? 0) == (pdb.Metadata.Generation ?? 0)
            && DisruptionAllowedCondition.IsUpToDate(pdb))
        {
            return;
        }

        pdb.Status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = expected.DesiredHealthy,
            ExpectedPods = expected.Count,
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted.Count == 0 ? null : disrupted,
            ObservedGeneration = pdb.Metadata.Generation,
            Conditions = status.Conditions,
        };
        DisruptionAllowedCondition.Update(pdb.Status, now);
        await _client.UpdateAsync(pdb, cancellationToken, "status").ConfigureAwait(false);
    }

    /// <summary><c>failSafe</c>: when counting fails, at least allow no disruption, and say why in the condition.</summary>
    private async Task FailSafeAsync(V1PodDisruptionBudget pdb, string message, CancellationToken cancellationToken)
    {
        var status = pdb.Status ??= new V1PodDisruptionBudgetStatus();
        status.DisruptionsAllowed = 0;
        DisruptionAllowedCondition.Set(status, "False", DisruptionAllowedCondition.SyncFailed, message, _time.GetUtcNow());
        await _client.UpdateAsync(pdb, cancellationToken, "status").ConfigureAwait(false);
    }

    /// <summary>The pods of the budget's namespace its selector picks: none for a missing selector, all for an empty one.</summary>
    private List<V1Pod> PodsOf(V1PodDisruptionBudget pdb)
    {
        var selector = LabelSelector.FromModel(pdb.Spec?.Selector);
        return _pods.ListInNamespace(pdb.Namespace()).Where(p => selector.Matches(p.Metadata)).ToList();
    }

    private void OnPodChange(V1Pod? old, V1Pod? current)
    {
        var ns = (current ?? old)!.Namespace();
        foreach (var pdb in _budgets.ListInNamespace(ns))
        {
            if (Selects(pdb, old) || Selects(pdb, current))
            {
                _queue.Add(Key(pdb.Metadata));
            }
        }
    }

    private static bool Selects(V1PodDisruptionBudget pdb, V1Pod? pod)
    {
        if (pod is null)
        {
            return false;
        }

        try
        {
            return LabelSelector.FromModel(pdb.Spec?.Selector).Matches(pod.Metadata);
        }
        catch (SelectorParseException)
        {
            return false;
        }
    }

    /// <summary>
    /// kube's finders, in their order: a ReplicationController; the Deployment of a ReplicaSet; a ReplicaSet no
    /// Deployment controls; a StatefulSet; then the scale subresource, which only these kinds have here.
    /// </summary>
    private ControllerScale? FindScale(V1OwnerReference controller, string ns)
    {
        var group = Group(controller.ApiVersion);
        switch (controller.Kind)
        {
            case "ReplicationController" when group.Length == 0:
                return _replicationControllers.Get(ns, controller.Name) is { } rc && rc.Uid() == controller.Uid
                    ? new ControllerScale(rc.Uid(), rc.Spec?.Replicas ?? 1)
                    : null;
            case "ReplicaSet" when group is "apps" or "extensions":
                if (_replicaSets.Get(ns, controller.Name) is not { } rs || rs.Uid() != controller.Uid)
                {
                    return null;
                }

                if (OwnerReferences.ControllerOf(rs.Metadata) is { Kind: "Deployment" } owner
                    && Group(owner.ApiVersion) is "apps" or "extensions"
                    && _deployments.Get(ns, owner.Name) is { } deployment
                    && deployment.Uid() == owner.Uid)
                {
                    return new ControllerScale(deployment.Uid(), deployment.Spec?.Replicas ?? 1);
                }

                // A ReplicaSet whose Deployment is gone still has its own scale.
                return new ControllerScale(rs.Uid(), rs.Spec?.Replicas ?? 1);
            case "Deployment" when group is "apps" or "extensions":
                return _deployments.Get(ns, controller.Name) is { } d && d.Uid() == controller.Uid
                    ? new ControllerScale(d.Uid(), d.Spec?.Replicas ?? 1)
                    : null;
            case "StatefulSet" when group == "apps":
                return _statefulSets.Get(ns, controller.Name) is { } set && set.Uid() == controller.Uid
                    ? new ControllerScale(set.Uid(), set.Spec?.Replicas ?? 1)
                    : null;
        }

        var type = Core.Resources.ResourceCatalog.Types.FirstOrDefault(t => t.Group == group && t.Kind == controller.Kind);
        throw new InvalidOperationException(type is null
            ? $"no matches for kind \"{controller.Kind}\" in group \"{group}\""
            : $"{type.QualifiedPlural} does not implement the scale subresource");
    }

    private static string Group(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    private static bool SameDisrupted(IDictionary<string, DateTime?>? stored, Dictionary<string, DateTime?> computed) =>
        (stored?.Count ?? 0) == computed.Count
        && computed.All(p => stored!.TryGetValue(p.Key, out var at) && at == p.Value);

    /// <summary>The selector in label-selector syntax; kube prints the Go struct, whose form says nothing more.</summary>
    private static string SelectorText(V1LabelSelector? selector) => selector is null ? "nil" : LabelSelector.FromModel(selector).ToString();

    private static string Key(V1ObjectMeta metadata) => ServiceQueue.Key(metadata);
}
