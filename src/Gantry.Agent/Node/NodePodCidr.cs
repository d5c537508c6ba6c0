using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Node;

/// <summary>
/// The node's pod CIDR, which the server's node IPAM controller assigns to the Node object: the agent creates its
/// Node (bare, without status or capacity, so nothing is scheduled to it yet) if it does not exist and waits for
/// <c>spec.podCIDR</c> before it makes its pod network, as a kubelet does before it reports the network ready.
/// </summary>
public static partial class NodePodCidr
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <exception cref="InvalidOperationException">No pod CIDR came within <paramref name="bound"/>.</exception>
    public static async Task<IPNetwork> WaitAsync(IKubernetes client, string nodeName, TimeSpan bound, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.CoreV1.CreateNodeAsync(
                new V1Node { ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = nodeName }, Spec = new V1NodeSpec() },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
        }

        var started = time.GetTimestamp();
        var logged = false;
        while (true)
        {
            var node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (node.Spec?.PodCIDR is { Length: > 0 } text)
            {
                return IPNetwork.TryParse(text, out var cidr)
                    ? cidr
                    : throw new InvalidOperationException($"node {nodeName} has spec.podCIDR \"{text}\", which is not a CIDR");
            }

            if (time.GetElapsedTime(started) > bound)
            {
                throw new InvalidOperationException(
                    $"node {nodeName} got no pod CIDR (spec.podCIDR) from the server within {bound.TotalSeconds:0} s: check the server's log for its node IPAM controller, e.g. whether --cluster-cidr has room left");
            }

            if (!logged)
            {
                Log.Waiting(logger, nodeName, bound.TotalSeconds);
                logged = true;
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Waiting up to {Seconds} s for the server to assign node {Node} a pod CIDR (spec.podCIDR)")]
        public static partial void Waiting(ILogger logger, string node, double seconds);
    }
}
