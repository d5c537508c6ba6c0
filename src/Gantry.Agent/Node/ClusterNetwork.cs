using System.Net;
using k8s;
using k8s.Autorest;

namespace Gantry.Agent.Node;

/// <summary>
/// The cluster's pod address range as the server publishes it in the ConfigMap <c>kube-system/gantry-network</c>
/// (a kubelet and kube-proxy get it from <c>--cluster-cidr</c>).
/// </summary>
public static class ClusterNetwork
{
    /// <summary>The cluster CIDR, or null when the server publishes none (the node then treats its own pod CIDR as the cluster's).</summary>
    public static async Task<IPNetwork?> ClusterCidrAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var config = await client.CoreV1.ReadNamespacedConfigMapAsync("gantry-network", "kube-system", cancellationToken: cancellationToken).ConfigureAwait(false);
            return config.Data?.TryGetValue("clusterCIDR", out var text) == true && IPNetwork.TryParse(text, out var cidr) ? cidr : null;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
