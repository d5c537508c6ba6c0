using System.Net;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// kube-controller-manager's node IPAM controller with the range allocator: every Node gets
/// <c>spec.podCIDR</c>/<c>spec.podCIDRs</c>, a subnet of the cluster CIDR no other node has, which its agent
/// uses for its pods. The taken subnets are rebuilt from the Nodes the informer lists at start (before any is
/// handed out) and freed when a Node is deleted. Also publishes the ranges (<see cref="ClusterNetworkConfig"/>).
/// </summary>
public sealed partial class NodeIpamController : BackgroundService
{
    private readonly SharedInformers _informers;
    private readonly Informer<V1Node> _nodes;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly NodeIpamOptions _options;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;
    private readonly NodeCidrSet _cidrs;
    private readonly Lock _gate = new();

    public NodeIpamController(
        SharedInformers informers, InProcessClient client, EventRecorder events, NodeIpamOptions options, TimeProvider time, ILogger<NodeIpamController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(options);
        _informers = informers;
        _nodes = informers.For<V1Node>();
        _client = client;
        _events = events;
        _options = options;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _cidrs = new NodeCidrSet(options.ClusterCidr, options.NodeMaskSize);
        _nodes.OnChange(OnNodeChange);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ClusterNetworkConfig.EnsureAsync(_client, _options, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (ApiException ex)
        {
            Log.PublishFailed(_logger, ex.Message);
        }

        await _queue.RunWhenSyncedAsync(_informers, 1, SyncAsync, (name, ex) => Log.SyncFailed(_logger, ex, name), stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Occupies what existing and updated Nodes hold, frees what deleted ones held, and queues Nodes still without
    /// a pod CIDR. The informer delivers every Node it lists before it is synced, and the queue waits for that, so
    /// no subnet is handed out before the ones already in use are known.
    /// </summary>
    private void OnNodeChange(V1Node? old, V1Node? current)
    {
        lock (_gate)
        {
            if (current is null)
            {
                foreach (var cidr in PodCidrs(old!))
                {
                    _cidrs.Release(cidr);
                }

                return;
            }

            foreach (var cidr in PodCidrs(current))
            {
                // Said once, when the Node is first seen, not on every status update.
                if (!_cidrs.Occupy(cidr) && old is null)
                {
                    Log.OutsideClusterCidr(_logger, current.Name(), cidr.ToString(), _options.ClusterCidr.ToString());
                }
            }
        }

        if (string.IsNullOrEmpty(current.Spec?.PodCIDR))
        {
            _queue.Add(current.Name());
        }
    }

    internal async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, name);
        if (node is null || !string.IsNullOrEmpty(node.Spec?.PodCIDR))
        {
            return;
        }

        IPNetwork? allocated;
        lock (_gate)
        {
            allocated = _cidrs.AllocateNext();
        }

        if (allocated is not { } cidr)
        {
            _events.Record(node, "Normal", "CIDRNotAvailable", $"Node {name} status is now: CIDRNotAvailable", "cidrAllocator");
            Log.NoCidrLeft(_logger, name, _options.ClusterCidr.ToString());
            _queue.AddAfter(name, TimeSpan.FromSeconds(30));
            return;
        }

        var assigned = false;
        try
        {
            await _client.MutateAsync<V1Node>(null, name, n =>
            {
                n.Spec ??= new V1NodeSpec();
                // Another pass (or someone else) set it meanwhile: a Node's pod CIDR never changes once set.
                assigned = string.IsNullOrEmpty(n.Spec.PodCIDR);
                if (assigned)
                {
                    n.Spec.PodCIDR = cidr.ToString();
                    n.Spec.PodCIDRs = [cidr.ToString()];
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
        finally
        {
            if (!assigned)
            {
                lock (_gate)
                {
                    _cidrs.Release(cidr);
                }
            }
        }

        if (assigned)
        {
            Log.Assigned(_logger, cidr.ToString(), name);
        }
    }

    private static IEnumerable<IPNetwork> PodCidrs(V1Node node)
    {
        var cidrs = node.Spec?.PodCIDRs is { Count: > 0 } all ? all : node.Spec?.PodCIDR is { Length: > 0 } one ? [one] : [];
        foreach (var text in cidrs)
        {
            if (IPNetwork.TryParse(text, out var cidr))
            {
                yield return cidr;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Assigned pod CIDR {Cidr} to node {Node}")]
        public static partial void Assigned(ILogger logger, string cidr, string node);

        [LoggerMessage(Level = LogLevel.Warning, Message = "No pod CIDR left in {ClusterCidr} for node {Node}; delete unused nodes or widen --cluster-cidr")]
        public static partial void NoCidrLeft(ILogger logger, string node, string clusterCidr);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} has pod CIDR {Cidr}, outside the cluster CIDR {ClusterCidr}; it is left alone")]
        public static partial void OutsideClusterCidr(ILogger logger, string node, string cidr, string clusterCidr);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Assigning a pod CIDR to node {Node} failed")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string node);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the cluster's address ranges failed: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string reason);
    }
}
