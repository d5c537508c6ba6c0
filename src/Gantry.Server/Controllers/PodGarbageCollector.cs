using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' pod garbage collector (podgc), every 20 s: deletes the oldest finished pods beyond 12,500 (evicted ones
/// first); force-deletes terminating pods of a node that is not Ready and carries the
/// <c>node.kubernetes.io/out-of-service</c> taint, whose agent will never finish them; and deletes the pods bound to a
/// node that no longer exists once it has been missing for 40 s, first marking each Failed with a DisruptionTarget
/// condition (DeletionByPodGC), since no agent will report it. Pods a deleted node leaves behind are so replaced by
/// their controllers. Last, a pod being deleted that was never scheduled, which only a finalizer keeps, is made Failed, so
/// that the controller holding it (the job controller's tracking finalizer) counts it and lets it go.
/// </summary>
public sealed partial class PodGarbageCollector : BackgroundService
{
    public const int TerminatedPodThreshold = 12_500;

    public const string OutOfServiceTaint = "node.kubernetes.io/out-of-service";

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(20);

    /// <summary>How long a node must be missing before its pods are orphans: a node may be re-created meanwhile.</summary>
    public static readonly TimeSpan Quarantine = TimeSpan.FromSeconds(40);

    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    private readonly SharedInformers _informers;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1Node> _nodes;
    private readonly InProcessClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<PodGarbageCollector> _logger;
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);

    public PodGarbageCollector(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<PodGarbageCollector> logger)
    {
        _informers = informers;
        _pods = informers.For<V1Pod>();
        _nodes = informers.For<V1Node>();
        _client = client;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _informers.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(Period, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CollectAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (ApiException ex)
                {
                    Log.CollectFailed(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One pass, in kube's order: finished pods beyond the threshold, terminating pods out of service, orphans, unscheduled
    /// terminating pods.
    /// </summary>
    internal async Task CollectAsync(CancellationToken cancellationToken)
    {
        var pods = _pods.List();
        var finished = pods.Where(PodState.IsTerminal).ToList();
        foreach (var pod in ByEvictionAndAge(finished).Take(Math.Max(0, finished.Count - TerminatedPodThreshold)))
        {
            await FailAndDeleteAsync(pod, condition: null, cancellationToken).ConfigureAwait(false);
        }

        var outOfService = pods.Where(p => p.Metadata.DeletionTimestamp is not null && !PodState.IsTerminal(p) &&
                                           _nodes.Get(null, p.Spec.NodeName ?? "") is { } node && !IsReady(node) &&
                                           node.Spec?.Taints?.Any(t => t.Key == OutOfServiceTaint) == true);
        foreach (var pod in ByEvictionAndAge(outOfService))
        {
            Log.OutOfService(_logger, pod.Namespace(), pod.Name(), pod.Spec.NodeName);
            await FailAndDeleteAsync(pod, condition: null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var node in DeletedNodes(pods))
        {
            foreach (var pod in pods.Where(p => p.Spec.NodeName == node))
            {
                Log.Orphaned(_logger, pod.Namespace(), pod.Name(), node);
                await FailAndDeleteAsync(pod, new V1PodCondition
                {
                    Type = "DisruptionTarget",
                    Status = "True",
                    Reason = "DeletionByPodGC",
                    Message = "PodGC: node no longer exists",
                    LastTransitionTime = _time.GetUtcNow().UtcDateTime,
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        // kube's gcUnscheduledTerminating: no agent will ever finish these.
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is not null && string.IsNullOrEmpty(p.Spec.NodeName)))
        {
            await FailAndDeleteAsync(pod, condition: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The nodes that pods are bound to and that have been missing for the quarantine, confirmed by the store.</summary>
    private List<string> DeletedNodes(List<V1Pod> pods)
    {
        var now = _time.GetUtcNow();
        var missing = pods.Select(p => p.Spec.NodeName).OfType<string>().Where(n => n.Length > 0 && _nodes.Get(null, n) is null)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var node in _missingSince.Keys.Where(n => !missing.Contains(n)).ToList())
        {
            _missingSince.Remove(node);
        }

        var deleted = new List<string>();
        foreach (var node in missing)
        {
            if (!_missingSince.TryGetValue(node, out var since))
            {
                _missingSince[node] = now;
            }
            else if (now - since >= Quarantine && _client.Registry.Get(Nodes, null, node) is null)
            {
                deleted.Add(node);
                _missingSince.Remove(node);
            }
        }

        return deleted;
    }

    /// <summary>
    /// kube's markFailedAndDeletePodWithCondition: a pod not yet finished is made Failed (with the condition, if any),
    /// as no agent will report it, then it is deleted at once.
    /// </summary>
    private async Task FailAndDeleteAsync(V1Pod pod, V1PodCondition? condition, CancellationToken cancellationToken)
    {
        try
        {
            if (!PodState.IsTerminal(pod))
            {
                await _client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(), current =>
                {
                    if (current.Uid() != pod.Uid() || PodState.IsTerminal(current))
                    {
                        return;
                    }

                    current.Status ??= new V1PodStatus();
                    current.Status.Phase = "Failed";
                    if (condition is not null)
                    {
                        current.Status.Conditions = [.. (current.Status.Conditions ?? []).Where(c => c.Type != condition.Type), condition];
                    }
                }, cancellationToken, "status").ConfigureAwait(false);
            }

            await _client.DeleteAsync<V1Pod>(pod.Namespace(), pod.Name(), new DeleteRequest(GracePeriodSeconds: 0, PreconditionUid: pod.Uid()), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // Gone already, or replaced by a pod of the same name: nothing of this one is left.
        }
    }

    /// <summary>kube's byEvictionAndCreationTimestamp: evicted pods first, then the oldest, then by name.</summary>
    private static IEnumerable<V1Pod> ByEvictionAndAge(IEnumerable<V1Pod> pods) =>
        pods.OrderBy(p => p.Status?.Reason == "Evicted" ? 0 : 1)
            .ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(p => p.Name(), StringComparer.Ordinal);

    private static bool IsReady(V1Node node) => node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Deleting pod {Namespace}/{Pod}, bound to node {Node}, which no longer exists")]
        public static partial void Orphaned(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(Level = LogLevel.Information, Message = "Force-deleting terminating pod {Namespace}/{Pod} of out-of-service node {Node}")]
        public static partial void OutOfService(ILogger logger, string @namespace, string pod, string? node);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Pod garbage collection pass failed: {Reason}")]
        public static partial void CollectFailed(ILogger logger, string reason);
    }
}
