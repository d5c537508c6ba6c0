using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>What the node lifecycle controller concludes of a node from its lease and its Ready condition.</summary>
public enum NodeHealth
{
    Ready,
    NotReady,
    Unreachable,
}

/// <summary>The pure rule behind <see cref="NodeHealth"/>.</summary>
public static class NodeHealthRule
{
    /// <summary>
    /// Unreachable when neither the lease nor the Ready condition's heartbeat is younger than the
    /// grace period (a node never heard from counts from its creation, and no node is judged before
    /// the controller itself has watched for a grace period: <paramref name="watchingSince"/>);
    /// otherwise what Ready says.
    /// </summary>
    public static NodeHealth Of(V1Node node, V1Lease? lease, DateTime now, TimeSpan grace, DateTime watchingSince)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var heard = new[] { lease?.Spec?.RenewTime, ready?.LastHeartbeatTime, node.Metadata.CreationTimestamp, watchingSince }.Max() ?? now;
        if (now - heard > grace)
        {
            return NodeHealth.Unreachable;
        }

        return ready?.Status == "False" ? NodeHealth.NotReady : NodeHealth.Ready;
    }
}
