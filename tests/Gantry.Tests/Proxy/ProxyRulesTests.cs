using System.Net;
using Gantry.Agent.Proxy;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Proxy.ProxyObjects;

namespace Gantry.Tests.Proxy;

public sealed class ProxyRulesTests
{
    private const string T = "ip gantry-proxy";
    private static readonly ProxyOptions Options = new() { NodeName = "node-a" };

    [Fact]
    public void A_cluster_ip_leads_through_the_service_ips_map_to_a_random_choice_of_endpoint_chains_that_dnat()
    {
        var web = Service("web");
        var port = ServicePorts.From(web)[0];
        var a = new ProxyEndpoint("10.88.0.5", 8080, true, true, false, true);
        var b = new ProxyEndpoint("10.88.0.6", 8080, true, true, false, false);

        var rules = Build([web], [Slice("web", endpoints: [Endpoint("10.88.0.6", "node-b"), Endpoint("10.88.0.5")])]);

        var service = ChainNames.Cluster(port);
        Assert.Equal("service-SUSTUHLJ-default/web/tcp/http", service);
        Assert.Contains($"add element {T} service-ips {{ 10.96.0.10 . tcp . 80 : goto {service} }}", rules.Commands);
        Assert.Contains($"add rule {T} {service} numgen random mod 2 vmap {{ 0 : goto {ChainNames.Endpoint(port, a)}, 1 : goto {ChainNames.Endpoint(port, b)} }}", rules.Commands);
        Assert.Contains($"add rule {T} {ChainNames.Endpoint(port, a)} meta l4proto tcp dnat to 10.88.0.5:8080", rules.Commands);
        Assert.Contains($"add rule {T} {ChainNames.Endpoint(port, a)} ip saddr 10.88.0.5 jump mark-for-masquerade", rules.Commands);
        Assert.Contains($"add rule {T} {ChainNames.Endpoint(port, b)} meta l4proto tcp dnat to 10.88.0.6:8080", rules.Commands);
        Assert.Equal((1, 2), (rules.ServicePorts, rules.Endpoints));
    }

    [Fact]
    public void Traffic_is_captured_for_pods_in_prerouting_and_for_the_host_in_output()
    {
        var rules = Build([], []);

        Assert.Contains($"add chain {T} nat-prerouting {{ type nat hook prerouting priority -100; policy accept; }}", rules.Commands);
        Assert.Contains($"add chain {T} nat-output {{ type nat hook output priority -100; policy accept; }}", rules.Commands);
        Assert.Contains($"add rule {T} nat-prerouting jump services", rules.Commands);
        Assert.Contains($"add rule {T} nat-output jump services", rules.Commands);
        Assert.Contains($"add rule {T} services ip daddr . meta l4proto . th dport vmap @service-ips", rules.Commands);
        Assert.Contains($"add rule {T} services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports", rules.Commands);
        Assert.Contains($"add rule {T} masquerading mark and 0x004000 == 0 return", rules.Commands);
        Assert.Contains($"add rule {T} masquerading masquerade fully-random", rules.Commands);
    }

    [Fact]
    public void New_connections_to_an_unallocated_cluster_ip_are_dropped_and_to_an_unserved_port_rejected_after_dnat()
    {
        var rules = Build([Service("web")], [Slice("web", endpoints: [Endpoint("10.88.0.5")])]);

        Assert.Contains($"add chain {T} filter-output-post-dnat {{ type filter hook output priority 0; policy accept; }}", rules.Commands);
        Assert.Contains($"add rule {T} filter-output-post-dnat ct state new jump cluster-ips-check", rules.Commands);
        Assert.Contains($"add rule {T} filter-forward ct state new jump cluster-ips-check", rules.Commands);
        Assert.Contains($"add rule {T} cluster-ips-check ip daddr vmap @cluster-ips", rules.Commands);
        Assert.Contains($"add rule {T} cluster-ips-check ip daddr {{ 10.96.0.0/12 }} drop comment \"drop traffic to unallocated ClusterIPs\"", rules.Commands);
        Assert.Contains($"add element {T} cluster-ips {{ 10.96.0.10 : goto reject-chain }}", rules.Commands);
    }

    [Fact]
    public void A_port_without_endpoints_is_rejected_with_icmp_port_unreachable()
    {
        var rules = Build([Service("web")], [Slice("web")]);

        Assert.Contains($"add element {T} no-endpoint-services {{ 10.96.0.10 . tcp . 80 comment \"default/web:http\" : goto reject-chain }}", rules.Commands);
        Assert.Contains($"add rule {T} reject-chain reject", rules.Commands);
        Assert.Contains($"add rule {T} filter-forward ct state new jump endpoints-check", rules.Commands);
        Assert.Contains($"add rule {T} filter-output ct state new jump endpoints-check", rules.Commands);
        Assert.DoesNotContain(rules.Commands, c => c.StartsWith($"add element {T} service-ips", StringComparison.Ordinal));
        Assert.Empty(rules.ServiceChains);
    }

    [Fact]
    public void A_headless_service_and_an_external_name_service_get_no_rules()
    {
        var headless = Service("db", clusterIp: "None");
        var external = Service("mail", clusterIp: "") with { };
        external.Spec.Type = "ExternalName";

        var rules = Build([headless, external], [Slice("db", endpoints: [Endpoint("10.88.0.7")])]);

        Assert.Equal(0, rules.ServicePorts);
        Assert.DoesNotContain(rules.Commands, c => c.Contains("default/db", StringComparison.Ordinal) || c.Contains("10.88.0.7", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_ready_endpoints_receive_traffic()
    {
        var rules = Build([Service("web")], [Slice("web", endpoints: [Endpoint("10.88.0.5"), Endpoint("10.88.0.6", ready: false)])]);

        Assert.Contains(rules.Commands, c => c.Contains("numgen random mod 1 vmap", StringComparison.Ordinal));
        Assert.Contains(rules.Commands, c => c.EndsWith("dnat to 10.88.0.5:8080", StringComparison.Ordinal));
        Assert.DoesNotContain(rules.Commands, c => c.Contains("10.88.0.6", StringComparison.Ordinal));
    }

    [Fact]
    public void Serving_terminating_endpoints_receive_traffic_only_while_no_endpoint_is_ready()
    {
        var terminating = Endpoint("10.88.0.6", ready: false, serving: true, terminating: true);

        var withReady = Build([Service("web")], [Slice("web", endpoints: [Endpoint("10.88.0.5"), terminating])]);
        var withoutReady = Build([Service("web")], [Slice("web", endpoints: [terminating, Endpoint("10.88.0.7", ready: false, terminating: true)])]);

        Assert.DoesNotContain(withReady.Commands, c => c.Contains("10.88.0.6", StringComparison.Ordinal));
        Assert.Contains(withoutReady.Commands, c => c.EndsWith("dnat to 10.88.0.6:8080", StringComparison.Ordinal));
        Assert.DoesNotContain(withoutReady.Commands, c => c.Contains("10.88.0.7", StringComparison.Ordinal));
    }

    [Fact]
    public void A_named_target_port_is_the_port_the_slice_gives_for_the_service_port_name()
    {
        var service = Service("web", ports: [Port("http", 80, "web"), Port("metrics", 9090, "prom")]);
        var slice = Slice("web", endpoints: [Endpoint("10.88.0.5")]);
        slice.Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }, new Discoveryv1EndpointPort { Name = "metrics", Port = 9100, Protocol = "TCP" }];

        var rules = Build([service], [slice]);

        Assert.Contains(rules.Commands, c => c.EndsWith("dnat to 10.88.0.5:8080", StringComparison.Ordinal));
        Assert.Contains(rules.Commands, c => c.EndsWith("dnat to 10.88.0.5:9100", StringComparison.Ordinal));
        Assert.Contains($"add element {T} service-ips {{ 10.96.0.10 . tcp . 9090 : goto {ChainNames.Cluster(ServicePorts.From(service)[1])} }}", rules.Commands);
    }

    [Fact]
    public void Slices_of_another_service_or_namespace_or_address_type_are_ignored()
    {
        var other = Slice("api", endpoints: [Endpoint("10.88.0.8")]);
        var elsewhere = Slice("web", ns: "prod", endpoints: [Endpoint("10.88.0.9")]);
        var ipv6 = Slice("web", endpoints: [Endpoint("fd00::1")]);
        ipv6.AddressType = "IPv6";

        var rules = Build([Service("web")], [other, elsewhere, ipv6]);

        Assert.Equal(0, rules.Endpoints);
        Assert.Contains(rules.Commands, c => c.Contains("no-endpoint-services { 10.96.0.10", StringComparison.Ordinal));
    }

    [Fact]
    public void A_node_port_leads_through_the_node_ports_map_to_an_external_chain_that_masquerades()
    {
        var service = Service("web", type: "NodePort", ports: [Port("http", 80, "web", nodePort: 30080)]);
        var port = ServicePorts.From(service)[0];

        var rules = Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5")])]);

        var external = ChainNames.External(port);
        Assert.Contains($"add element {T} service-nodeports {{ tcp . 30080 : goto {external} }}", rules.Commands);
        Assert.Contains($"add rule {T} {external} jump mark-for-masquerade", rules.Commands);
        Assert.Contains($"add rule {T} {external} goto {ChainNames.Cluster(port)}", rules.Commands);
    }

    [Fact]
    public void A_node_port_without_endpoints_is_rejected()
    {
        var service = Service("web", type: "NodePort", ports: [Port("http", 80, "web", nodePort: 30080)]);

        var rules = Build([service], []);

        Assert.Contains($"add element {T} no-endpoint-nodeports {{ tcp . 30080 comment \"default/web:http\" : goto reject-chain }}", rules.Commands);
        Assert.Contains($"add rule {T} endpoints-check fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports", rules.Commands);
    }

    [Fact]
    public void External_traffic_policy_Local_sends_node_port_traffic_only_to_this_nodes_endpoints_and_keeps_the_client_address()
    {
        var service = Service("web", type: "NodePort", ports: [Port("http", 80, "web", nodePort: 30080)]);
        service.Spec.ExternalTrafficPolicy = "Local";
        var port = ServicePorts.From(service)[0];
        var options = Options with { ClusterCidr = new IPNetwork(IPAddress.Parse("10.88.0.0"), 16) };

        var rules = ProxyRules.Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5"), Endpoint("10.88.1.5", "node-b")])], options);

        var external = ChainNames.External(port);
        var local = ChainNames.Local(port);
        var cluster = ChainNames.Cluster(port);
        Assert.Equal(
            [
                $"add rule {T} {external} ip saddr 10.88.0.0/16 goto {cluster} comment \"short-circuit pod traffic\"",
                $"add rule {T} {external} fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"",
                $"add rule {T} {external} fib saddr type local goto {cluster} comment \"short-circuit local traffic\"",
                $"add rule {T} {external} goto {local}",
            ],
            rules.Commands.Where(c => c.StartsWith($"add rule {T} {external} ", StringComparison.Ordinal)));
        Assert.Contains(rules.Commands, c => c.StartsWith($"add rule {T} {local} numgen random mod 1 vmap", StringComparison.Ordinal));
        Assert.Contains(rules.Commands, c => c.StartsWith($"add rule {T} {cluster} numgen random mod 2 vmap", StringComparison.Ordinal));
    }

    [Fact]
    public void External_traffic_policy_Local_drops_node_port_traffic_when_no_endpoint_is_on_this_node()
    {
        var service = Service("web", type: "NodePort", ports: [Port("http", 80, "web", nodePort: 30080)]);
        service.Spec.ExternalTrafficPolicy = "Local";

        var rules = Build([service], [Slice("web", endpoints: [Endpoint("10.88.1.5", "node-b")])]);

        Assert.Contains($"add element {T} no-endpoint-nodeports {{ tcp . 30080 comment \"default/web:http\" : drop }}", rules.Commands);
        Assert.Contains(rules.Commands, c => c.Contains("service-ips { 10.96.0.10 . tcp . 80 : goto service-", StringComparison.Ordinal));
    }

    [Fact]
    public void Traffic_to_a_cluster_ip_from_outside_the_cluster_cidr_is_masqueraded()
    {
        var options = Options with { ClusterCidr = new IPNetwork(IPAddress.Parse("10.88.0.0"), 16) };
        var service = Service("web");

        var rules = ProxyRules.Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5")])], options);

        var cluster = ChainNames.Cluster(ServicePorts.From(service)[0]);
        Assert.Contains($"add rule {T} {cluster} ip daddr 10.96.0.10 tcp dport 80 ip saddr != 10.88.0.0/16 jump mark-for-masquerade", rules.Commands);
    }

    [Fact]
    public void Session_affinity_ClientIP_sends_a_remembered_client_back_to_its_endpoint_until_the_timeout()
    {
        var service = Service("web");
        service.Spec.SessionAffinity = "ClientIP";
        service.Spec.SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = 60 } };
        var port = ServicePorts.From(service)[0];
        var endpoint = new ProxyEndpoint("10.88.0.5", 8080, true, true, false, true);

        var rules = Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5")])]);

        var affinity = ChainNames.Affinity(port, endpoint);
        var chain = ChainNames.Endpoint(port, endpoint);
        Assert.Contains($"add set {T} {affinity} {{ type ipv4_addr; flags dynamic,timeout; timeout 60s; }}", rules.Commands);
        Assert.Equal(
            [$"add rule {T} {ChainNames.Cluster(port)} ip saddr @{affinity} goto {chain}", $"add rule {T} {ChainNames.Cluster(port)} numgen random mod 1 vmap {{ 0 : goto {chain} }}"],
            rules.Commands.Where(c => c.StartsWith($"add rule {T} {ChainNames.Cluster(port)} ", StringComparison.Ordinal)));
        Assert.Contains($"add rule {T} {chain} update @{affinity} {{ ip saddr }}", rules.Commands);
        Assert.Equal([affinity], rules.AffinitySets.Keys);
    }

    [Fact]
    public void Session_affinity_without_a_timeout_remembers_clients_for_three_hours()
    {
        var service = Service("web");
        service.Spec.SessionAffinity = "ClientIP";

        var rules = Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5")])]);

        Assert.Contains(rules.Commands, c => c.StartsWith($"add set {T} affinity-", StringComparison.Ordinal) && c.EndsWith("timeout 10800s; }", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_objects_in_any_order_give_the_same_ruleset()
    {
        var services = new[] { Service("web"), Service("api", clusterIp: "10.96.0.11") };
        var slices = new[] { Slice("web", endpoints: [Endpoint("10.88.0.5"), Endpoint("10.88.0.12")]), Slice("api", endpoints: [Endpoint("10.88.0.6")]) };

        var one = Build(services, slices);
        var other = Build(services.Reverse(), slices.Reverse());

        Assert.Equal(one.Text, other.Text);
    }

    [Fact]
    public void Every_chain_is_declared_before_any_rule_or_element_leads_to_it()
    {
        var service = Service("web", type: "NodePort", ports: [Port("http", 80, "web", nodePort: 30080)]);

        var rules = Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5")])]);

        var lastDeclaration = rules.Commands.ToList().FindLastIndex(c => c.StartsWith("add chain", StringComparison.Ordinal) || c.StartsWith("add set", StringComparison.Ordinal) || c.StartsWith("add map", StringComparison.Ordinal));
        var firstUse = rules.Commands.ToList().FindIndex(c => c.StartsWith("add rule", StringComparison.Ordinal));
        Assert.True(lastDeclaration < firstUse);
        Assert.StartsWith("add element", rules.Commands[^1], StringComparison.Ordinal);
    }

    private static NftRuleset Build(IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices) => ProxyRules.Build(services, slices, Options);
}
