using System.Globalization;
using k8s.Models;

namespace Gantry.Agent.Proxy;

/// <summary>
/// Turns Services and EndpointSlices into this node's nftables ruleset, laid out as kube-proxy's nftables mode lays it
/// out: a <c>service-ips</c> verdict map from (daddr . protocol . dport) and a <c>service-nodeports</c> map for the
/// node's own addresses lead to one chain per service port, which picks an endpoint chain with <c>numgen random</c>
/// (after any session affinity match); each endpoint chain DNATs. Ports without usable endpoints are rejected with
/// ICMP port unreachable in the filter hooks. Pure: no I/O, the same input gives the same text.
/// </summary>
public static class ProxyRules
{
    private const string Services = "services";
    private const string ServiceIps = "service-ips";
    private const string ServiceNodePorts = "service-nodeports";
    private const string EndpointsCheck = "endpoints-check";
    private const string ClusterIpsCheck = "cluster-ips-check";
    private const string ClusterIps = "cluster-ips";
    private const string NoEndpointServices = "no-endpoint-services";
    private const string NoEndpointNodePorts = "no-endpoint-nodeports";
    private const string RejectChain = "reject-chain";
    private const string MarkForMasquerade = "mark-for-masquerade";
    private const string Masquerading = "masquerading";

    /// <summary>Matches packets for one of this node's own addresses (what NodePorts listen on), never loopback.</summary>
    private const string NodeAddress = "fib daddr type local ip daddr != 127.0.0.0/8";

    public static NftRuleset Build(IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var allSlices = slices.ToList();
        var table = new TableWriter(options.TableName);
        var mark = "0x" + options.MasqueradeMark.ToString("x6", CultureInfo.InvariantCulture);
        WriteFixed(table, mark, options);

        var ports = services.SelectMany(ServicePorts.From)
            .OrderBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Service, StringComparer.Ordinal)
            .ThenBy(p => p.PortName, StringComparer.Ordinal)
            .ThenBy(p => p.Protocol, StringComparer.Ordinal)
            .ToList();
        foreach (var clusterIp in ports.Select(p => p.ClusterIp).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            table.Element(ClusterIps, $"{clusterIp} : goto {RejectChain}");
        }

        var endpointCount = 0;
        foreach (var port in ports)
        {
            var endpoints = SliceEndpoints.For(port, allSlices, options.NodeName);
            endpointCount += endpoints.Count;
            WriteServicePort(table, port, EndpointCategories.Of(port, endpoints), options);
        }

        return table.ToRuleset(ports.Count, endpointCount);
    }

    /// <summary>Base chains, the jumps into Gantry's chains, masquerading and the dispatch and reject maps.</summary>
    private static void WriteFixed(TableWriter table, string mark, ProxyOptions options)
    {
        table.Add($"add table {TableWriter.Family} {table.Name} {{ comment \"rules for the gantry service proxy\"; }}");

        // Filtering must see destinations before DNAT, so the filter chains run just ahead of it. Priorities are numbers
        // (dstnat is -100, srcnat 100) because nft before 1.0.7 knows the names "dstnat" only in the prerouting hook.
        table.BaseChain("filter-input", "filter", "input", "-110");
        table.BaseChain("filter-forward", "filter", "forward", "-110");
        table.BaseChain("filter-output", "filter", "output", "-110");
        table.BaseChain("filter-output-post-dnat", "filter", "output", "0");
        table.BaseChain("nat-prerouting", "nat", "prerouting", "-100");
        table.BaseChain("nat-output", "nat", "output", "-100");
        table.BaseChain("nat-postrouting", "nat", "postrouting", "100");
        foreach (var chain in new[] { EndpointsCheck, ClusterIpsCheck, Services, Masquerading, MarkForMasquerade, RejectChain })
        {
            table.Chain(chain);
        }

        // reject is only allowed in the input, forward and output hooks, hence three jumps.
        table.Rule("filter-input", $"ct state new jump {EndpointsCheck}");
        table.Rule("filter-forward", $"ct state new jump {EndpointsCheck}");
        table.Rule("filter-output", $"ct state new jump {EndpointsCheck}");
        // After DNAT only connections no service port took still carry a service-range destination (forward runs after
        // prerouting's DNAT already).
        table.Rule("filter-forward", $"ct state new jump {ClusterIpsCheck}");
        table.Rule("filter-output-post-dnat", $"ct state new jump {ClusterIpsCheck}");
        table.Rule("nat-output", $"jump {Services}");
        table.Rule("nat-prerouting", $"jump {Services}");
        table.Rule("nat-postrouting", $"jump {Masquerading}");

        table.Rule(MarkForMasquerade, $"mark set mark or {mark}");
        table.Rule(Masquerading, $"mark and {mark} == 0 return");
        table.Rule(Masquerading, $"mark set mark xor {mark}");
        table.Rule(Masquerading, "masquerade fully-random");

        table.Map(NoEndpointServices, "ipv4_addr . inet_proto . inet_service : verdict", "vmap to drop or reject packets to services with no endpoints");
        table.Map(NoEndpointNodePorts, "inet_proto . inet_service : verdict", "vmap to drop or reject packets to service nodeports with no endpoints");
        table.Rule(RejectChain, "reject");
        table.Rule(EndpointsCheck, $"ip daddr . meta l4proto . th dport vmap @{NoEndpointServices}");
        table.Rule(EndpointsCheck, $"{NodeAddress} meta l4proto . th dport vmap @{NoEndpointNodePorts}");

        table.Map(ClusterIps, "ipv4_addr : verdict", "reject traffic to invalid ports of ClusterIPs");
        table.Rule(ClusterIpsCheck, $"ip daddr vmap @{ClusterIps}");
        if (options.ServiceCidrs.Count > 0)
        {
            table.Rule(ClusterIpsCheck, $"ip daddr {{ {string.Join(", ", options.ServiceCidrs)} }} drop comment \"drop traffic to unallocated ClusterIPs\"");
        }

        table.Map(ServiceIps, "ipv4_addr . inet_proto . inet_service : verdict", "ClusterIP, ExternalIP and LoadBalancer IP traffic");
        table.Map(ServiceNodePorts, "inet_proto . inet_service : verdict", "NodePort traffic");
        table.Rule(Services, $"ip daddr . meta l4proto . th dport vmap @{ServiceIps}");
        table.Rule(Services, $"{NodeAddress} meta l4proto . th dport vmap @{ServiceNodePorts}");
    }

    private static void WriteServicePort(TableWriter table, ProxyServicePort port, EndpointCategories endpoints, ProxyOptions options)
    {
        var protocol = port.Protocol;
        var comment = $"comment \"{port.DisplayName}\"";
        var clusterChain = ChainNames.Cluster(port);
        var localChain = ChainNames.Local(port);
        var externalChain = ChainNames.External(port);
        foreach (var endpoint in endpoints.AllReachable)
        {
            table.Chain(ChainNames.Endpoint(port, endpoint));
        }

        var usesClusterChain = endpoints.Cluster.Count > 0 && port.UsesClusterEndpoints;
        if (usesClusterChain)
        {
            table.Chain(clusterChain);
        }

        var usesLocalChain = endpoints.Local.Count > 0 && port.UsesLocalEndpoints;
        if (usesLocalChain)
        {
            table.Chain(localChain);
        }

        var internalChain = port.InternalPolicyLocal ? localChain : clusterChain;
        var hasInternal = endpoints.HasAny && (!port.InternalPolicyLocal || endpoints.Local.Count > 0);
        var externalPolicyChain = port.ExternalPolicyLocal ? localChain : clusterChain;
        var hasExternal = endpoints.HasAny && (!port.ExternalPolicyLocal || endpoints.Local.Count > 0);

        // The external chain also short-circuits traffic from this node, so it exists whenever any endpoint does.
        var usesExternalChain = endpoints.HasAny && port.ExternallyAccessible;
        if (usesExternalChain)
        {
            table.Chain(externalChain);
        }

        // No endpoint anywhere: reject. Endpoints, but none local for a Local policy: drop what is not short-circuited.
        var internalVerdict = endpoints.HasAny ? "drop" : $"goto {RejectChain}";
        var externalVerdict = internalVerdict;

        var clusterKey = $"{port.ClusterIp} . {protocol} . {port.Port}";
        if (hasInternal)
        {
            table.Element(ServiceIps, $"{clusterKey} : goto {internalChain}");
        }
        else
        {
            table.Element(NoEndpointServices, $"{clusterKey} {comment} : {internalVerdict}");
        }

        foreach (var ip in port.ExternalIps)
        {
            var key = $"{ip} . {protocol} . {port.Port}";
            if (endpoints.HasAny)
            {
                table.Element(ServiceIps, $"{key} : goto {externalChain}");
            }

            if (!hasExternal)
            {
                table.Element(NoEndpointServices, $"{key} {comment} : {externalVerdict}");
            }
        }

        if (port.NodePort != 0)
        {
            var key = $"{protocol} . {port.NodePort}";
            if (endpoints.HasAny)
            {
                table.Element(ServiceNodePorts, $"{key} : goto {externalChain}");
            }

            if (!hasExternal)
            {
                table.Element(NoEndpointNodePorts, $"{key} {comment} : {externalVerdict}");
            }
        }

        if (hasInternal && options.ClusterCidr is { } cidr)
        {
            // Off-cluster traffic routed to a ClusterIP through this node may leave it again: masquerade it.
            table.Rule(internalChain, $"ip daddr {port.ClusterIp} {protocol} dport {port.Port} ip saddr != {cidr} jump {MarkForMasquerade}");
        }

        if (usesExternalChain)
        {
            WriteExternalChain(table, port, externalChain, clusterChain, usesClusterChain, hasExternal ? externalPolicyChain : null, options);
        }

        if (port.AffinityTimeoutSeconds is { } timeout)
        {
            foreach (var endpoint in endpoints.AllReachable)
            {
                table.AffinitySet(ChainNames.Affinity(port, endpoint), timeout);
            }
        }

        if (usesClusterChain)
        {
            WriteLoadBalancing(table, port, clusterChain, endpoints.Cluster);
        }

        if (usesLocalChain)
        {
            WriteLoadBalancing(table, port, localChain, endpoints.Local);
        }

        foreach (var endpoint in endpoints.AllReachable)
        {
            var chain = ChainNames.Endpoint(port, endpoint);

            // A pod reaching itself through its service must see the reply come from the service, not from itself.
            table.Rule(chain, $"ip saddr {endpoint.Ip} jump {MarkForMasquerade}");
            if (port.AffinityTimeoutSeconds is not null)
            {
                table.Rule(chain, $"update @{ChainNames.Affinity(port, endpoint)} {{ ip saddr }}");
            }

            table.Rule(chain, $"meta l4proto {protocol} dnat to {endpoint.Address}");
        }
    }

    /// <summary>
    /// Cluster policy masquerades (the endpoint may be on another node). Local policy keeps the client's address, except for
    /// traffic from pods (short-circuited to any endpoint, as if it had gone out to a load balancer and back) and from this
    /// node itself (whose source would be the node address the packet was sent to).
    /// </summary>
    private static void WriteExternalChain(
        TableWriter table, ProxyServicePort port, string externalChain, string clusterChain, bool usesClusterChain, string? policyChain,
        ProxyOptions options)
    {
        if (!port.ExternalPolicyLocal)
        {
            table.Rule(externalChain, $"jump {MarkForMasquerade}");
        }
        else
        {
            if (options.ClusterCidr is { } cidr && usesClusterChain)
            {
                table.Rule(externalChain, $"ip saddr {cidr} goto {clusterChain} comment \"short-circuit pod traffic\"");
            }

            table.Rule(externalChain, $"fib saddr type local jump {MarkForMasquerade} comment \"masquerade local traffic\"");
            if (usesClusterChain)
            {
                table.Rule(externalChain, $"fib saddr type local goto {clusterChain} comment \"short-circuit local traffic\"");
            }
        }

        if (policyChain is not null)
        {
            table.Rule(externalChain, $"goto {policyChain}");
        }
    }

    /// <summary>Clients remembered in an endpoint's affinity set go back to it; everyone else is spread at random.</summary>
    private static void WriteLoadBalancing(TableWriter table, ProxyServicePort port, string chain, IReadOnlyList<ProxyEndpoint> endpoints)
    {
        if (port.AffinityTimeoutSeconds is not null)
        {
            foreach (var endpoint in endpoints)
            {
                table.Rule(chain, $"ip saddr @{ChainNames.Affinity(port, endpoint)} goto {ChainNames.Endpoint(port, endpoint)}");
            }
        }

        var choices = string.Join(", ", endpoints.Select((e, i) => $"{i} : goto {ChainNames.Endpoint(port, e)}"));
        table.Rule(chain, $"numgen random mod {endpoints.Count} vmap {{ {choices} }}");
    }
}
