using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Network;

/// <summary>
/// Keeps this node's routes to the other nodes' pod CIDRs (<see cref="NodeRoutes"/>) in line with the Nodes, as
/// kubenet's route controller does: lists and watches Nodes, and after every change makes the kernel's gateway
/// routes inside the cluster CIDR exactly those <see cref="NodeRoutePlan.Desired"/> names, removing routes of
/// nodes deleted (even while the agent was down) and re-pointing ones whose node moved.
/// </summary>
public sealed partial class NodeRouteSync(IKubernetes client, string nodeName, IPNetwork clusterCidr, NodeRoutes routes, ILogger<NodeRouteSync> logger, TimeProvider time)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);

    /// <summary>Runs until cancelled; failures are logged and retried after a second.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _nodes.Clear();
                foreach (var node in list.Items)
                {
                    _nodes[node.Name()] = node;
                }

                await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(
                    resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (type == WatchEventType.Bookmark)
                    {
                        continue;
                    }

                    if (type == WatchEventType.Deleted)
                    {
                        _nodes.Remove(node.Name());
                    }
                    else
                    {
                        _nodes[node.Name()] = node;
                    }

                    await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SyncFailed(logger, ex);
                try
                {
                    await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var desired = NodeRoutePlan.Desired(_nodes.Values, nodeName, clusterCidr);
        var installed = NodeRoutePlan.Installed(await routes.ListAsync(clusterCidr, cancellationToken).ConfigureAwait(false));
        var (add, remove) = NodeRoutePlan.Diff(desired, installed);
        foreach (var (cidr, via) in remove)
        {
            await routes.RemoveAsync(cidr, via, cancellationToken).ConfigureAwait(false);
            Log.Removed(logger, cidr.ToString(), via.ToString());
        }

        foreach (var (cidr, via) in add)
        {
            await routes.AddAsync(cidr, via, cancellationToken).ConfigureAwait(false);
            Log.Added(logger, cidr.ToString(), via.ToString());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Route to pod CIDR {Cidr} via node {Via} added")]
        public static partial void Added(ILogger logger, string cidr, string via);

        [LoggerMessage(Level = LogLevel.Information, Message = "Route to pod CIDR {Cidr} via {Via} removed: no node has it now")]
        public static partial void Removed(ILogger logger, string cidr, string via);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Syncing the routes to other nodes' pods failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception);
    }
}
