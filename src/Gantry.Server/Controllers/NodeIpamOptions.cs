using System.Net;

namespace Gantry.Server.Controllers;

/// <summary>
/// What the node IPAM controller hands out: node-sized subnets (kube-controller-manager's
/// <c>--node-cidr-mask-size</c>) of the cluster CIDR (<c>--cluster-cidr</c>); the Service CIDR is only published.
/// </summary>
public sealed record NodeIpamOptions(IPNetwork ClusterCidr, int NodeMaskSize, string ServiceCidr);
