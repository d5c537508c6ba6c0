using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' node lifecycle controller: a node whose agent stops renewing its Lease gets its
/// conditions set to Unknown and the <c>node.kubernetes.io/unreachable</c> taints (a node reporting
/// Ready=False gets <c>not-ready</c>); the NoExecute taint then evicts the pods that do not tolerate
/// it, after their toleration time, so their controllers replace them elsewhere. A node that comes
/// back loses the taints.
/// </summary>
public sealed partial class NodeLifecycleController : BackgroundService
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";

    private readonly SharedInformers _informers;
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<V1Lease> _leases;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly NodeLifecycleOptions _options;
    private readonly ILogger<NodeLifecycleController> _logger;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _evicting = new(StringComparer.Ordinal);
    private DateTime _watchingSince;

    public NodeLifecycleController(
        SharedInformers informers, InProcessClient client, EventRecorder events, NodeLifecycleOptions options,
        ILogger<NodeLifecycleController> logger, TimeProvider time)
    {
        _informers = informers;
        _nodes = informers.For<V1Node>();
        _leases = informers.For<V1Lease>();
        _pods = informers.For<V1Pod>();
        _client = client;
        _events = events;
        _options = options;
        _logger = logger;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _informers.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            _watchingSince = _time.GetUtcNow().UtcDateTime;
            using var timer = new PeriodicTimer(_options.MonitorPeriod, _time);
            do
            {
                try
                {
                    await MonitorAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (ApiException ex)
                {
                    Log.MonitorFailed(_logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var tainted = new Dictionary<string, V1Node>(StringComparer.Ordinal);
        foreach (var node in _nodes.List())
        {
            var health = NodeHealthRule.Of(node, _leases.Get("kube-node-lease", node.Name()), now, _options.GracePeriod, _watchingSince);
            var current = node;
            if (health == NodeHealth.Unreachable && ReadyStatus(node) != "Unknown")
            {
                current = await MarkUnknownAsync(node, now, cancellationToken).ConfigureAwait(false);
            }

            var wanted = health switch
            {
                NodeHealth.Unreachable => UnreachableTaint,
                NodeHealth.NotReady => NotReadyTaint,
                _ => null,
            };
            if (!HasExactlyTaint(current, wanted))
            {
                current = await SetTaintsAsync(current, wanted, now, cancellationToken).ConfigureAwait(false);
            }

            if (wanted is not null)
            {
                tainted[current.Name()] = current;
            }
        }

        if (tainted.Count > 0)
        {
            await EvictAsync(tainted, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<V1Node> MarkUnknownAsync(V1Node node, DateTime now, CancellationToken cancellationToken)
    {
        Log.NodeUnreachable(_logger, node.Name());
        _events.Record(node, "Normal", "NodeNotReady", $"Node {node.Name()} status is now: NodeNotReady", "node-controller");
        return await _client.MutateAsync<V1Node>(null, node.Name(), n =>
        {
            foreach (var condition in n.Status?.Conditions ?? [])
            {
                if (condition.Status != "Unknown")
                {
                    condition.LastTransitionTime = now;
                }

                condition.Status = "Unknown";
                condition.Reason = "NodeStatusUnknown";
                condition.Message = "Kubelet stopped posting node status.";
            }
        }, cancellationToken, "status").ConfigureAwait(false);
    }

    private Task<V1Node> SetTaintsAsync(V1Node node, string? key, DateTime now, CancellationToken cancellationToken) =>
        _client.MutateAsync<V1Node>(null, node.Name(), n =>
        {
            n.Spec ??= new V1NodeSpec();
            var taints = (n.Spec.Taints ?? []).Where(t => t.Key is not (UnreachableTaint or NotReadyTaint)).ToList();
            if (key is not null)
            {
                taints.Add(new V1Taint { Key = key, Effect = "NoSchedule", TimeAdded = now });
                taints.Add(new V1Taint { Key = key, Effect = "NoExecute", TimeAdded = now });
            }

            n.Spec.Taints = taints.Count == 0 ? null : taints;
        }, cancellationToken);

    /// <summary>Deletes each pod on a tainted node once its toleration of the NoExecute taint has run out.</summary>
    private async Task EvictAsync(Dictionary<string, V1Node> tainted, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var pod in _pods.List(p => p.Spec.NodeName is { } n && tainted.ContainsKey(n) && p.Metadata.DeletionTimestamp is null))
        {
            var taint = tainted[pod.Spec.NodeName].Spec.Taints!.First(t => t.Effect == "NoExecute" && t.Key is UnreachableTaint or NotReadyTaint);
            var toleration = (pod.Spec.Tolerations ?? []).FirstOrDefault(t => t.Effect is null or "" or "NoExecute" && Scheduling.Plugins.Tolerations.Tolerates(t, taint));
            TimeSpan? allowed = toleration is null
                ? _options.DefaultTolerationSeconds
                : toleration.TolerationSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Max(0, seconds)) : null;
            if (allowed is not { } stay || (taint.TimeAdded ?? now) + stay > now || !_evicting.Add(pod.Uid()))
            {
                continue;
            }

            _events.Record(pod, "Normal", "TaintManagerEviction", $"Marking for deletion Pod {pod.Namespace()}/{pod.Name()}", "taint-eviction-controller");
            try
            {
                await _client.DeleteAsync<V1Pod>(pod.Namespace(), pod.Name(), new DeleteRequest(PreconditionUid: pod.Uid()), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
            }
        }

        if (_evicting.Count > 10_000)
        {
            _evicting.Clear();
        }
    }

    private static string? ReadyStatus(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;

    private static bool HasExactlyTaint(V1Node node, string? key)
    {
        var ours = (node.Spec?.Taints ?? []).Where(t => t.Key is UnreachableTaint or NotReadyTaint).ToList();
        return key is null ? ours.Count == 0 : ours.Count == 2 && ours.All(t => t.Key == key);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} stopped renewing its lease; marking it unreachable")]
        public static partial void NodeUnreachable(ILogger logger, string node);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Node lifecycle pass failed: {Reason}")]
        public static partial void MonitorFailed(ILogger logger, string reason);
    }
}
