using System.Net;
using System.Net.Sockets;
using Gantry.Core.Selectors;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Agent.Policy;

/// <summary>
/// Works out a pod's <see cref="PodFirewall"/> from the NetworkPolicies of its namespace, as networking.k8s.io/v1
/// defines them: a policy selects the pods its <c>podSelector</c> matches; a pod is isolated for ingress (egress) when
/// a policy of that type selects it, and then admits only what the union of those policies' rules allows. A rule
/// without <c>from</c> (<c>to</c>) allows every peer, one without <c>ports</c> every port; a peer is an <c>ipBlock</c>,
/// or the running pods a <c>podSelector</c> picks in the policy's namespace, in the namespaces a
/// <c>namespaceSelector</c> picks, or both. A named port is the pod's own for ingress and each peer pod's for egress.
/// Traffic a pod sends to a ClusterIP is allowed when every ready endpoint behind that service port is, the pod's node
/// counting as allowed (as it is for traffic sent to it directly); the cluster DNS is always reachable, as Gantry's is
/// served by the server, which no pod selector can name.
/// </summary>
public static class FirewallPlanner
{
    private const string Ingress = "Ingress";
    private const string Egress = "Egress";
    private const string DnsNamespace = "kube-system";
    private const string DnsService = "kube-dns";

    /// <param name="nodeAddresses">The pod's node as the pod sees it, which policies never cut it off from.</param>
    public static PodFirewall For(V1Pod pod, PolicyView view, IReadOnlyList<IPAddress> nodeAddresses)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var selecting = view.Policies
            .Where(p => p.Metadata.NamespaceProperty == ns && LabelSelector.FromModelOrNothing(p.Spec?.PodSelector ?? new V1LabelSelector()).Matches(pod.Metadata))
            .ToList();
        if (selecting.Count == 0)
        {
            return PodFirewall.Open;
        }

        List<FirewallRule>? ingress = null;
        List<FirewallRule>? egress = null;
        foreach (var policy in selecting)
        {
            var types = Types(policy);
            if (types.Contains(Ingress))
            {
                ingress ??= [];
                foreach (var rule in policy.Spec.Ingress ?? Array.Empty<V1NetworkPolicyIngressRule>())
                {
                    var peers = rule.FromProperty is { Count: > 0 } from ? Peers(from, policy, view).Select(p => p.Peer).ToList() : null;
                    var ports = Ports(rule.Ports, pod);
                    if ((peers is null || peers.Count > 0) && (ports is null || ports.Count > 0))
                    {
                        ingress.Add(new FirewallRule(peers, ports));
                    }
                }
            }

            if (types.Contains(Egress))
            {
                egress ??= [];
                foreach (var rule in policy.Spec.Egress ?? Array.Empty<V1NetworkPolicyEgressRule>())
                {
                    egress.AddRange(EgressRules(rule, policy, view));
                }
            }
        }

        egress?.AddRange(ServiceRules(egress, view, nodeAddresses));
        return new PodFirewall(ingress, egress);
    }

    /// <summary>The policy's types; kube's defaults where the stored policy has none (Ingress, and Egress with egress rules).</summary>
    private static IList<string> Types(V1NetworkPolicy policy) =>
        policy.Spec?.PolicyTypes is { Count: > 0 } types ? types
        : policy.Spec?.Egress is { Count: > 0 } ? [Ingress, Egress]
        : [Ingress];

    /// <summary>
    /// An egress rule's allowances: where it names a port by name, one per pod the port is read from (the peer pods, or
    /// every running pod when it names no peer); one otherwise.
    /// </summary>
    private static IEnumerable<FirewallRule> EgressRules(V1NetworkPolicyEgressRule rule, V1NetworkPolicy policy, PolicyView view)
    {
        var named = rule.Ports?.Any(p => p.Port is { } port && !int.TryParse(port.Value, out _)) == true;
        IEnumerable<(FirewallPeer? Peer, V1Pod? Pod)> peers = rule.To is { Count: > 0 } to
            ? Peers(to, policy, view).Select(p => ((FirewallPeer?)p.Peer, p.Pod))
            : named
                ? view.Pods.Where(p => AddressOf(p) is not null).Select(p => ((FirewallPeer?)FirewallPeer.Address(AddressOf(p)!), (V1Pod?)p))
                : [(null, null)];
        foreach (var (peer, peerPod) in peers)
        {
            var ports = Ports(rule.Ports, named ? peerPod : null);
            if (ports is null || ports.Count > 0)
            {
                yield return new FirewallRule(peer is null ? null : [peer], ports);
            }
        }
    }

    /// <summary>Every address the peers pick, with the pod it belongs to (none for an <c>ipBlock</c>).</summary>
    private static List<(FirewallPeer Peer, V1Pod? Pod)> Peers(IEnumerable<V1NetworkPolicyPeer> peers, V1NetworkPolicy policy, PolicyView view)
    {
        var found = new List<(FirewallPeer, V1Pod?)>();
        foreach (var peer in peers)
        {
            if (peer.IpBlock is { } block)
            {
                // Read as validation read it (kube's sloppy parse: host bits cleared, decimal octets); IPv4 only.
                if (SloppyCidr.TryParse(block.Cidr ?? "", out var cidr) && cidr.Ipv4Network is { } network)
                {
                    var except = (block.Except ?? []).Select(e => SloppyCidr.TryParse(e ?? "", out var n) ? n.Ipv4Network : null).OfType<IPNetwork>().ToList();
                    found.Add((new FirewallPeer(network, except), null));
                }

                continue;
            }

            var pods = LabelSelector.FromModelOrNothing(peer.PodSelector ?? new V1LabelSelector());
            var namespaces = peer.NamespaceSelector is { } selector ? LabelSelector.FromModelOrNothing(selector) : null;
            foreach (var candidate in view.Pods)
            {
                var candidateNamespace = candidate.Metadata.NamespaceProperty;
                var inNamespace = namespaces is null
                    ? candidateNamespace == policy.Metadata.NamespaceProperty
                    : view.NamespaceLabels.TryGetValue(candidateNamespace, out var labels) && namespaces.Matches(labels);
                if (inNamespace && pods.Matches(candidate.Metadata) && AddressOf(candidate) is { } address)
                {
                    found.Add((FirewallPeer.Address(address), candidate));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The ports a rule names, numbers as they are and names as <paramref name="owner"/>'s containers (sidecars too)
    /// declare them (a name no container declares, or a name without an owner, allows nothing); null when it names none
    /// (every port).
    /// </summary>
    private static List<FirewallPort>? Ports(IList<V1NetworkPolicyPort>? ports, V1Pod? owner)
    {
        if (ports is not { Count: > 0 })
        {
            return null;
        }

        var declared = (owner?.Spec?.Containers ?? [])
            .Concat((owner?.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"))
            .SelectMany(c => c.Ports ?? [])
            .ToList();
        var resolved = new List<FirewallPort>();
        foreach (var port in ports)
        {
            var protocol = (port.Protocol ?? "TCP").ToLowerInvariant();
            if (port.Port is null)
            {
                resolved.Add(new FirewallPort(protocol, 1, 65535));
            }
            else if (int.TryParse(port.Port.Value, out var number))
            {
                resolved.Add(new FirewallPort(protocol, number, port.EndPort ?? number));
            }
            else if (declared.FirstOrDefault(p => p.Name == port.Port.Value && (p.Protocol ?? "TCP").Equals(protocol, StringComparison.OrdinalIgnoreCase)) is { } named)
            {
                resolved.Add(new FirewallPort(protocol, named.ContainerPort, named.ContainerPort));
            }
        }

        return resolved;
    }

    /// <summary>
    /// Allowances for the ClusterIP ports whose every ready endpoint the egress rules allow (the pod's own namespace
    /// sees a service's address before the node translates it to an endpoint's), and for the cluster DNS's.
    /// </summary>
    private static IEnumerable<FirewallRule> ServiceRules(List<FirewallRule> egress, PolicyView view, IReadOnlyList<IPAddress> nodeAddresses)
    {
        var slicesByService = view.Slices
            .Where(s => s.Metadata.Labels?.ContainsKey("kubernetes.io/service-name") == true)
            .ToLookup(s => (s.Metadata.NamespaceProperty, s.Metadata.Labels["kubernetes.io/service-name"]));
        foreach (var service in view.Services)
        {
            if (!IPAddress.TryParse(service.Spec?.ClusterIP, out var clusterIp) || clusterIp.AddressFamily != AddressFamily.InterNetwork)
            {
                continue;
            }

            var dns = service.Metadata.NamespaceProperty == DnsNamespace && service.Metadata.Name == DnsService;
            foreach (var port in service.Spec.Ports ?? Array.Empty<V1ServicePort>())
            {
                var protocol = (port.Protocol ?? "TCP").ToLowerInvariant();
                var endpoints = slicesByService[(service.Metadata.NamespaceProperty, service.Metadata.Name)]
                    .SelectMany(slice => (slice.Endpoints ?? [])
                        .Where(e => e.Conditions?.Ready != false)
                        .SelectMany(e => e.Addresses ?? [])
                        .Select(address => (Address: address, Port: slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""))?.Port)))
                    .ToList();
                if (dns || (endpoints.Count > 0 && endpoints.All(e =>
                        e.Port is { } target && IPAddress.TryParse(e.Address, out var ip)
                        && (nodeAddresses.Contains(ip) || egress.Any(rule => rule.Allows(ip, protocol, target))))))
                {
                    yield return new FirewallRule([FirewallPeer.Address(clusterIp)], [new FirewallPort(protocol, port.Port, port.Port)]);
                }
            }
        }
    }

    /// <summary>A running pod's own IPv4 address; none for a pod on the host's network or one that has finished (its address may be another's now).</summary>
    private static IPAddress? AddressOf(V1Pod pod) =>
        pod.Spec?.HostNetwork != true && pod.Status?.Phase is not ("Succeeded" or "Failed")
        && IPAddress.TryParse(pod.Status?.PodIP, out var address) && address.AddressFamily == AddressFamily.InterNetwork
            ? address
            : null;
}
