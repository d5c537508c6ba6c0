using System.Net;
using Gantry.Core.Security;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Node;

/// <summary>
/// Registers the node and keeps it alive, as the kubelet does: the Lease in <c>kube-node-lease</c>
/// is renewed every 10 s (the cheap heartbeat) and the Node's status with its conditions every
/// 40 s, so the node lifecycle controller can tell a live node from a lost one.
/// </summary>
public sealed class NodeHeartbeat(IKubernetes client, AgentOptions options, AgentEndpoint endpoint, ILogger<NodeHeartbeat> logger, TimeProvider time)
{
    public const string LeaseNamespace = "kube-node-lease";

    /// <summary>The Node annotation with the agent's certificate fingerprint (the API server pins it).</summary>
    public const string CertificateAnnotation = "gantry.io/agent-certificate-sha256";

    /// <summary>
    /// The Node annotation naming the bootstrap token the agent joined with (its id only). The server stamps
    /// it on Nodes a join token creates and lets no other token write them (NodeRestriction).
    /// </summary>
    public const string TokenIdAnnotation = AgentClientIdentity.TokenIdAnnotation;
    private const int LeaseDurationSeconds = 40;
    private static readonly TimeSpan LeaseRenewInterval = TimeSpan.FromSeconds(10);
    private const int LeaseRenewalsPerStatusUpdate = 4;

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var facts = NodeFacts.Read(options.NodeName, options.StateDirectory, options.NodeIp);
        var node = new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = options.NodeName,
                Labels = facts.Labels,
                Annotations = Annotations(),
            },
            Spec = new V1NodeSpec(),
            Status = Status(facts, null),
        };
        try
        {
            await client.CoreV1.CreateNodeAsync(node, cancellationToken: cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Registered node {Node}", options.NodeName);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await UpdateStatusAsync(facts, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Node {Node} was registered before; status refreshed", options.NodeName);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(LeaseRenewInterval, time);
        var renewals = 0;
        do
        {
            try
            {
                await RenewLeaseAsync(cancellationToken).ConfigureAwait(false);
                if (renewals++ % LeaseRenewalsPerStatusUpdate == 0)
                {
                    await UpdateStatusAsync(NodeFacts.Read(options.NodeName, options.StateDirectory, options.NodeIp), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
            {
                logger.LogWarning(ex, "Heartbeat of node {Node} failed; retrying", options.NodeName);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        V1Lease lease;
        try
        {
            lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.NodeName, LeaseNamespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            var fresh = new V1Lease
            {
                ApiVersion = "coordination.k8s.io/v1",
                Kind = "Lease",
                Metadata = new V1ObjectMeta { Name = options.NodeName, NamespaceProperty = LeaseNamespace },
                Spec = new V1LeaseSpec { HolderIdentity = options.NodeName, LeaseDurationSeconds = LeaseDurationSeconds, RenewTime = now },
            };
            await client.CoordinationV1.CreateNamespacedLeaseAsync(fresh, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        lease.Spec ??= new V1LeaseSpec();
        lease.Spec.HolderIdentity = options.NodeName;
        lease.Spec.LeaseDurationSeconds = LeaseDurationSeconds;
        lease.Spec.RenewTime = now;
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.NodeName, LeaseNamespace, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The certificate the API server pins when it calls this agent and, after a join, the token's id.</summary>
    private Dictionary<string, string> Annotations()
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [CertificateAnnotation] = endpoint.CertificateSha256 };
        if (BootstrapToken.TryParse(options.Token, out var token))
        {
            annotations[TokenIdAnnotation] = token.Id;
        }

        return annotations;
    }

    private async Task UpdateStatusAsync(NodeFacts facts, CancellationToken cancellationToken)
    {
        var node = await client.CoreV1.ReadNodeAsync(options.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var annotations = Annotations();
        var published = node.Metadata.Annotations ?? new Dictionary<string, string>();
        if (annotations.Any(a => !published.TryGetValue(a.Key, out var value) || value != a.Value))
        {
            var patch = KubernetesJson.Serialize(new
            {
                metadata = new { labels = facts.Labels, annotations },
            });
            node = await client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), options.NodeName, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        node.Status = Status(facts, node.Status?.Conditions);
        await client.CoreV1.ReplaceNodeStatusAsync(node, options.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private V1NodeStatus Status(NodeFacts facts, IList<V1NodeCondition>? previous) => new()
    {
        Capacity = facts.Capacity,
        Allocatable = facts.Capacity,
        Addresses = facts.Addresses,
        NodeInfo = facts.Info,
        Conditions = NodeConditions.Read(options.StateDirectory, time.GetUtcNow().UtcDateTime, previous),
        DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = endpoint.Port } },
    };
}
