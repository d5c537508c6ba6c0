using System.Net;
using k8s;
using k8s.Autorest;

namespace Gantry.Agent.Node;

/// <summary>
/// The cluster's pod and service address ranges as the server publishes them in the ConfigMap
/// <c>kube-system/gantry-network</c> (a kubelet and kube-proxy get them from <c>--cluster-cidr</c> and the
/// apiserver's <c>--service-cluster-ip-range</c>).
/// </summary>
/// <param name="ClusterCidr">Null when the server publishes none (the node then treats its own pod CIDR as the cluster's).</param>
/// <param name="ServiceCidr">Null when the server publishes none (the proxy then assumes the default range).</param>
public sealed record ClusterNetwork(IPNetwork? ClusterCidr, IPNetwork? ServiceCidr)
{
    public static async Task<ClusterNetwork> ReadAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var config = await client.CoreV1.ReadNamespacedConfigMapAsync("gantry-network", "kube-system", cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ClusterNetwork(Cidr(config.Data, "clusterCIDR"), Cidr(config.Data, "serviceCIDR"));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return new ClusterNetwork(null, null);
        }
    }

    private static IPNetwork? Cidr(IDictionary<string, string>? data, string key) =>
        data?.TryGetValue(key, out var text) == true && IPNetwork.TryParse(text, out var cidr) ? cidr : null;
}
