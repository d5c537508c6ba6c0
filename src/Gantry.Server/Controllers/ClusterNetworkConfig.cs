using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The ConfigMap <c>kube-system/gantry-network</c> that tells agents the cluster's address ranges, which a
/// kubelet gets from flags: an agent masquerades only what leaves the cluster CIDR, so pods on different
/// nodes see each other's own addresses.
/// </summary>
public static class ClusterNetworkConfig
{
    public const string Namespace = "kube-system";
    public const string Name = "gantry-network";
    public const string ClusterCidrKey = "clusterCIDR";
    public const string ServiceCidrKey = "serviceCIDR";
    public const string NodeMaskSizeKey = "nodeCIDRMaskSize";

    public static Dictionary<string, string> Data(NodeIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(StringComparer.Ordinal)
        {
            [ClusterCidrKey] = options.ClusterCidr.ToString(),
            [ServiceCidrKey] = options.ServiceCidr,
            [NodeMaskSizeKey] = options.NodeMaskSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Creates the ConfigMap, or brings its data up to date when the server restarts with other ranges.</summary>
    public static async Task EnsureAsync(InProcessClient client, NodeIpamOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var data = Data(options);
        try
        {
            await client.CreateAsync(
                new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace }, Data = data },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            await client.MutateAsync<V1ConfigMap>(Namespace, Name, c => c.Data = data, cancellationToken).ConfigureAwait(false);
        }
    }
}
