using System.Net;
using Gantry.Agent.Policy;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent.Policy;

/// <summary>
/// A pod's firewall as networking.k8s.io/v1 NetworkPolicies define it: isolation by the policies that select the pod,
/// the union of their rules, peers by pod and namespace selectors and IP blocks, named ports, and ClusterIP traffic.
/// </summary>
public sealed class FirewallPlannerTests
{
    private static readonly IPAddress[] NoNode = [];

    private static readonly V1Pod Server = Pod("server", "app", "10.42.0.10", ("app", "db"));
    private static readonly V1Pod Frontend = Pod("frontend", "app", "10.42.0.11", ("role", "frontend"));
    private static readonly V1Pod Other = Pod("other", "app", "10.42.0.12", ("role", "batch"));
    private static readonly V1Pod Monitor = Pod("monitor", "ops", "10.42.1.5", ("role", "frontend"));

    [Fact]
    public void A_pod_no_policy_selects_is_open()
    {
        var firewall = FirewallPlanner.For(Server, View([Policy("deny", new V1LabelSelector { MatchLabels = Labels(("app", "web")) }, ingress: [])]), NoNode);

        Assert.True(firewall.IsOpen);
    }

    [Fact]
    public void A_policy_without_ingress_rules_isolates_its_pods_for_ingress_only()
    {
        var firewall = FirewallPlanner.For(Server, View([Policy("deny-all", new V1LabelSelector(), ingress: [])]), NoNode);

        Assert.Equal([], firewall.Ingress);
        Assert.Null(firewall.Egress);
    }

    [Fact]
    public void A_pod_selector_peer_allows_the_matching_pods_of_the_policy_namespace()
    {
        var rule = new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels(("role", "frontend")) } }] };

        var firewall = FirewallPlanner.For(Server, View([Policy("frontend-only", new V1LabelSelector(), ingress: [rule])]), NoNode);

        var allowed = Assert.Single(firewall.Ingress!);
        Assert.True(allowed.Allows(IPAddress.Parse("10.42.0.11"), "tcp", 5432));
        Assert.False(allowed.Allows(IPAddress.Parse("10.42.0.12"), "tcp", 5432));
        Assert.False(allowed.Allows(IPAddress.Parse("10.42.1.5"), "tcp", 5432));
    }

    [Fact]
    public void A_namespace_selector_peer_allows_every_pod_of_the_matching_namespaces()
    {
        var rule = new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = Labels(("kubernetes.io/metadata.name", "ops")) } }],
        };

        var firewall = FirewallPlanner.For(Server, View([Policy("ops", new V1LabelSelector(), ingress: [rule])]), NoNode);

        Assert.True(firewall.Ingress![0].Allows(IPAddress.Parse("10.42.1.5"), "tcp", 80));
        Assert.False(firewall.Ingress[0].Allows(IPAddress.Parse("10.42.0.11"), "tcp", 80));
    }

    [Fact]
    public void An_ip_block_allows_its_addresses_but_those_it_excepts()
    {
        var rule = new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "192.168.0.0/16", Except = ["192.168.1.0/24"] } }] };

        var firewall = FirewallPlanner.For(Server, View([Policy("block", new V1LabelSelector(), ingress: [rule])]), NoNode);

        Assert.True(firewall.Ingress![0].Allows(IPAddress.Parse("192.168.2.1"), "tcp", 80));
        Assert.False(firewall.Ingress[0].Allows(IPAddress.Parse("192.168.1.1"), "tcp", 80));
    }

    [Fact]
    public void Ports_limit_a_rule_and_a_named_port_is_the_pod_own()
    {
        var rule = new V1NetworkPolicyIngressRule
        {
            Ports =
            [
                new V1NetworkPolicyPort { Protocol = "TCP", Port = "postgres" },
                new V1NetworkPolicyPort { Protocol = "UDP", Port = "9000", EndPort = 9010 },
            ],
        };

        var firewall = FirewallPlanner.For(Server, View([Policy("ports", new V1LabelSelector(), ingress: [rule])]), NoNode);

        var allowed = Assert.Single(firewall.Ingress!);
        Assert.Null(allowed.Peers);
        Assert.True(allowed.Allows(IPAddress.Parse("10.1.1.1"), "tcp", 5432));
        Assert.True(allowed.Allows(IPAddress.Parse("10.1.1.1"), "udp", 9005));
        Assert.False(allowed.Allows(IPAddress.Parse("10.1.1.1"), "tcp", 9005));
    }

    [Fact]
    public void Rules_of_every_selecting_policy_add_up()
    {
        var frontend = new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels(("role", "frontend")) } }] };
        var batch = new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels(("role", "batch")) } }] };

        var firewall = FirewallPlanner.For(Server, View([Policy("a", new V1LabelSelector(), ingress: [frontend]), Policy("b", new V1LabelSelector(), ingress: [batch])]), NoNode);

        Assert.True(AnyAllows(firewall.Ingress!, "10.42.0.11", "tcp", 1));
        Assert.True(AnyAllows(firewall.Ingress!, "10.42.0.12", "tcp", 1));
    }

    [Fact]
    public void An_egress_policy_allows_a_cluster_ip_whose_every_endpoint_it_allows_an_unnamed_port_matching_the_slice_port_named_empty()
    {
        var toDb = new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels(("app", "db")) } }],
            Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = "5432" }],
        };
        var policy = Policy("egress", new V1LabelSelector { MatchLabels = Labels(("role", "frontend")) }, egress: [toDb], types: ["Egress"]);
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "app" },
            Spec = new V1ServiceSpec { ClusterIP = "10.96.0.50", Ports = [new V1ServicePort { Port = 5432, Protocol = "TCP" }] },
        };
        var slice = new V1EndpointSlice
        {
            AddressType = "IPv4",
            Metadata = new V1ObjectMeta { Name = "db-x", NamespaceProperty = "app", Labels = Labels(("kubernetes.io/service-name", "db")) },
            Endpoints = [new V1Endpoint { Addresses = ["10.42.0.10"] }],
            Ports = [new Discoveryv1EndpointPort { Name = "", Port = 5432, Protocol = "TCP" }],
        };

        var firewall = FirewallPlanner.For(Frontend, View([policy]) with { Services = [service], Slices = [slice] }, NoNode);

        Assert.Null(firewall.Ingress);
        Assert.True(AnyAllows(firewall.Egress!, "10.96.0.50", "tcp", 5432));
        Assert.True(AnyAllows(firewall.Egress!, "10.42.0.10", "tcp", 5432));
        Assert.False(AnyAllows(firewall.Egress!, "10.42.0.12", "tcp", 5432));
    }

    [Fact]
    public void An_ip_block_is_read_as_validation_reads_it_host_bits_cleared_and_octets_decimal()
    {
        var rule = new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "192.168.1.10/24", Except = ["010.0.0.0/8"] } }],
        };

        var firewall = FirewallPlanner.For(Server, View([Policy("sloppy", new V1LabelSelector(), ingress: [rule])]), NoNode);

        var peer = Assert.Single(Assert.Single(firewall.Ingress!).Peers!);
        Assert.Equal(IPNetwork.Parse("192.168.1.0/24"), peer.Block);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], peer.Except);
    }

    [Fact]
    public void A_finished_pod_is_no_peer_as_its_address_may_be_another_pod_now()
    {
        var finished = Pod("done", "app", "10.42.0.20", ("role", "frontend"));
        finished.Status.Phase = "Succeeded";
        var rule = new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels(("role", "frontend")) } }] };

        var firewall = FirewallPlanner.For(Server, View([Policy("frontend", new V1LabelSelector(), ingress: [rule])]) with { Pods = [Server, Frontend, finished] }, NoNode);

        Assert.False(AnyAllows(firewall.Ingress!, "10.42.0.20", "tcp", 80));
        Assert.True(AnyAllows(firewall.Ingress!, "10.42.0.11", "tcp", 80));
    }

    [Fact]
    public void An_egress_named_port_without_peers_is_each_pod_declared_port()
    {
        var rule = new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = "postgres" }] };

        var firewall = FirewallPlanner.For(Frontend, View([Policy("named", new V1LabelSelector(), egress: [rule], types: ["Egress"])]), NoNode);

        Assert.True(AnyAllows(firewall.Egress!, "10.42.0.10", "tcp", 5432));
        Assert.False(AnyAllows(firewall.Egress!, "10.42.0.10", "tcp", 80));
    }

    [Fact]
    public void The_cluster_dns_is_always_reachable_from_an_egress_isolated_pod()
    {
        var dns = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "kube-dns", NamespaceProperty = "kube-system" },
            Spec = new V1ServiceSpec { ClusterIP = "10.96.0.10", Ports = [new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }] },
        };

        var firewall = FirewallPlanner.For(Frontend, View([Policy("deny-out", new V1LabelSelector(), egress: [], types: ["Egress"])]) with { Services = [dns] }, NoNode);

        Assert.True(AnyAllows(firewall.Egress!, "10.96.0.10", "udp", 53));
        Assert.False(AnyAllows(firewall.Egress!, "10.42.0.10", "udp", 53));
    }

    [Fact]
    public void A_policy_without_types_is_of_the_kinds_its_rules_say()
    {
        var policy = Policy("both", new V1LabelSelector(), ingress: [], egress: [new V1NetworkPolicyEgressRule()], types: []);

        var firewall = FirewallPlanner.For(Server, View([policy]), NoNode);

        Assert.NotNull(firewall.Ingress);
        Assert.NotNull(firewall.Egress);
    }

    private static bool AnyAllows(IEnumerable<FirewallRule> rules, string address, string protocol, int port) =>
        rules.Any(r => r.Allows(IPAddress.Parse(address), protocol, port));

    private static PolicyView View(IReadOnlyList<V1NetworkPolicy> policies) => new(
        policies,
        [Server, Frontend, Other, Monitor],
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["app"] = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "app" },
            ["ops"] = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "ops" },
        },
        [],
        []);

    private static V1NetworkPolicy Policy(
        string name, V1LabelSelector selector, IList<V1NetworkPolicyIngressRule>? ingress = null, IList<V1NetworkPolicyEgressRule>? egress = null,
        IList<string>? types = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "app" },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = selector,
            Ingress = ingress,
            Egress = egress,
            PolicyTypes = types ?? (ingress is not null ? ["Ingress"] : []),
        },
    };

    private static V1Pod Pod(string name, string ns, string ip, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = Guid.NewGuid().ToString(), Labels = Labels(labels) },
        Spec = new V1PodSpec
        {
            NodeName = "node-a",
            Containers = [new V1Container { Name = "main", Image = "busybox", Ports = [new V1ContainerPort { Name = "postgres", ContainerPort = 5432 }] }],
        },
        Status = new V1PodStatus { PodIP = ip },
    };

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);
}
