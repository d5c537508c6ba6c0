using System.Net;
using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Agent.Policy;

/// <summary>
/// Works out a pod's <see cref="PodFirewall"/> from the NetworkPolicies of its namespace, as networking.k8s.io/v1
/// defines them: a policy selects the pods its <c>podSelector</c> matches; a pod is isolated for ingress (egress) when
/// a policy of that type selects it, and then admits only what the union of those policies' rules allows. A rule
/// without <c>from</c> (<c>to</c>) allows every peer, one without <c>ports</c> every port; a peer is an <c>ipBlock</c>,
/// or the pods a <c>podSelector</c> picks in the policy's namespace, in the namespaces a <c>namespaceSelector</c> picks,
/// or both. A named port is the pod's own for ingress and each peer pod's for egress. Traffic a pod sends to a
/// ClusterIP is allowed when every endpoint behind that service port is, the pod's node counting as allowed (as it is
/// for traffic sent to it directly), so that the cluster DNS the node serves stays reachable.
/// </summary>
public static class FirewallPlanner
{
    private const string Ingress = "Ingress";
    private const string Egress = "Egress";

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

        if (egress is not null)
        {
            egress.AddRange(ServiceRules(egress, view, nodeAddresses));
        }

        return new PodFirewall(ingress, egress);
    }

    /// <summary>The policy's types; kube's defaults where the stored policy has none (Ingress, and Egress with egress rules).</summary>
    private static IList<string> Types(V1NetworkPolicy policy) =>
        policy.Spec?.PolicyTypes is { Count: > 0 } types ? types
        : policy.Spec?.Egress is { Count: > 0 } ? [Ingress, Egress]
        : [Ingress];

    /// <summary>An egress rule's allowances: one per peer pod where a named port must be read from each pod, one otherwise.</summary>
    private static IEnumerable<FirewallRule> EgressRules(V1NetworkPolicyEgressRule rule, V1NetworkPolicy policy, PolicyView view)
    {
        if (rule.To is not { Count: > 0 } to)
        {
            if (Ports(rule.Ports, null) is var ports && (ports is null || ports.Count > 0))
            {
                yield return new FirewallRule(null, ports);
            }

            yield break;
        }

        var named = rule.Ports?.Any(p => p.Port is { } port && !int.TryParse(port.Value, out _)) == true;
        foreach (var (peer, peerPod) in Peers(to, policy, view))
        {
            var ports = Ports(rule.Ports, named ? peerPod : null);
            if (ports is null || ports.Count > 0)
            {
                yield return new FirewallRule([peer], ports);
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
                if (IPNetwork.TryParse(block.Cidr, out var cidr) && cidr.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    var except = (block.Except ?? []).Select(e => IPNetwork.TryParse(e, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>().ToList();
                    found.Add((new FirewallPeer(cidr, except), null));
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
    /// The ports a rule names, numbers as they are and names as <paramref name="owner"/>'s containers declare them (a name
    /// no container declares, or a name without an owner, allows nothing); null when it names none (every port).
    /// </summary>
    private static List<FirewallPort>? Ports(IList<V1NetworkPolicyPort>? ports, V1Pod? owner)
    {
        if (ports is not { Count: > 0 })
        {
            return null;
        }

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
            else if (owner?.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(
                         p => p.Name == port.Port.Value && (p.Protocol ?? "TCP").Equals(protocol, StringComparison.OrdinalIgnoreCase)) is { } declared)
            {
                resolved.Add(new FirewallPort(protocol, declared.ContainerPort, declared.ContainerPort));
            }
        }

        return resolved;
    }

    /// <summary>
    /// Allowances for the ClusterIP ports whose every endpoint the egress rules allow: the pod's own netns sees a
    /// service's address before the node translates it to an endpoint's.
    /// </summary>
    private static IEnumerable<FirewallRule> ServiceRules(List<FirewallRule> egress, PolicyView view, IReadOnlyList<IPAddress> nodeAddresses)
    {
        var slicesByService = view.Slices
            .Where(s => s.Metadata.Labels?.ContainsKey("kubernetes.io/service-name") == true)
            .ToLookup(s => (s.Metadata.NamespaceProperty, s.Metadata.Labels["kubernetes.io/service-name"]));
        foreach (var service in view.Services)
        {
            if (!IPAddress.TryParse(service.Spec?.ClusterIP, out var clusterIp))
            {
                continue;
            }

            foreach (var port in service.Spec.Ports ?? Array.Empty<V1ServicePort>())
            {
                var protocol = (port.Protocol ?? "TCP").ToLowerInvariant();
                var endpoints = slicesByService[(service.Metadata.NamespaceProperty, service.Metadata.Name)]
                    .SelectMany(slice => (slice.Endpoints ?? [])
                        .SelectMany(e => e.Addresses ?? [])
                        .Select(address => (Address: address, Port: slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""))?.Port)))
                    .ToList();
                if (endpoints.Count > 0 && endpoints.All(e =>
                        e.Port is { } target && IPAddress.TryParse(e.Address, out var ip)
                        && (nodeAddresses.Contains(ip) || egress.Any(rule => rule.Allows(ip, protocol, target)))))
                {
                    yield return new FirewallRule([FirewallPeer.Address(clusterIp)], [new FirewallPort(protocol, port.Port, port.Port)]);
                }
            }
        }
    }

    private static IPAddress? AddressOf(V1Pod pod) =>
        pod.Spec?.HostNetwork != true && IPAddress.TryParse(pod.Status?.PodIP, out var address)
        && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address
            : null;
}
