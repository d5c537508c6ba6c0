namespace Gantry.Agent.Proxy;

/// <summary>
/// One port of one Service as the proxy sees it (kube-proxy's ServicePort): the IPv4 addresses and ports that capture
/// traffic, and the policies that pick among endpoints.
/// </summary>
/// <param name="Protocol">Lower case, as nftables spells it: tcp, udp or sctp.</param>
/// <param name="NodePort">0 when the port has none.</param>
/// <param name="ExternalIps">spec.externalIPs and status.loadBalancer.ingress IPs, which both lead to the external chain.</param>
/// <param name="AffinityTimeoutSeconds">sessionAffinity ClientIP's timeout; null when sessionAffinity is None.</param>
public sealed record ProxyServicePort(
    string Namespace,
    string Service,
    string PortName,
    string Protocol,
    string ClusterIp,
    int Port,
    int NodePort,
    IReadOnlyList<string> ExternalIps,
    int? AffinityTimeoutSeconds,
    bool ExternalPolicyLocal,
    bool InternalPolicyLocal)
{
    /// <summary>kube-proxy's ServicePortName: <c>ns/name:port</c>, or <c>ns/name</c> for an unnamed port.</summary>
    public string DisplayName => $"{Namespace}/{Service}" + (PortName.Length > 0 ? $":{PortName}" : "");

    /// <summary>Reachable from outside the cluster (NodePort, external or load-balancer IPs), so externalTrafficPolicy applies.</summary>
    public bool ExternallyAccessible => NodePort != 0 || ExternalIps.Count > 0;

    /// <summary>Some traffic is spread over endpoints on every node.</summary>
    public bool UsesClusterEndpoints => !InternalPolicyLocal || (ExternallyAccessible && !ExternalPolicyLocal);

    /// <summary>Some traffic goes only to endpoints on this node.</summary>
    public bool UsesLocalEndpoints => InternalPolicyLocal || (ExternallyAccessible && ExternalPolicyLocal);
}
