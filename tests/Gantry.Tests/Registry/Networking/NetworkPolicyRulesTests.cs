using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

public sealed class NetworkPolicyRulesTests
{
    private const string InvalidCidr = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private readonly IResourceRules _rules = new NetworkPolicyRules();

    private static V1NetworkPolicy Policy(V1NetworkPolicyIngressRule? ingress = null, V1NetworkPolicyEgressRule? egress = null, params string[] policyTypes) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Ingress = ingress is null ? null : [ingress],
            Egress = egress is null ? null : [egress],
            PolicyTypes = policyTypes.Length == 0 ? null : policyTypes,
        },
    };

    private static V1NetworkPolicy From(params V1NetworkPolicyPeer[] peers) => Policy(new V1NetworkPolicyIngressRule { FromProperty = peers });

    private static V1NetworkPolicy OnPort(V1NetworkPolicyPort port) => Policy(new V1NetworkPolicyIngressRule { Ports = [port] });

    private static V1NetworkPolicyPeer Block(string cidr, params string[] except) => new() { IpBlock = new V1IPBlock { Cidr = cidr, Except = except } };

    private static V1LabelSelector Selector(string key, params string[] values) => new()
    {
        MatchExpressions = [new V1LabelSelectorRequirement { Key = key, OperatorProperty = "In", Values = values }],
    };

    private IEnumerable<string> Errors(V1NetworkPolicy policy)
    {
        _rules.Default(policy);
        return _rules.ValidateCreate(policy).Select(e => e.ToString());
    }

    [Fact]
    public void Every_port_without_a_protocol_gets_tcp()
    {
        var policy = Policy(
            new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = 80 }, new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }] },
            new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Port = "dns" }] });

        _rules.Default(policy);

        Assert.Equal(["TCP", "UDP"], policy.Spec.Ingress[0].Ports.Select(p => p.Protocol));
        Assert.Equal("TCP", policy.Spec.Egress[0].Ports[0].Protocol);
    }

    [Fact]
    public void A_policy_without_types_and_egress_rules_isolates_ingress()
    {
        var policy = Policy(new V1NetworkPolicyIngressRule());

        _rules.Default(policy);

        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
    }

    [Fact]
    public void A_policy_without_types_but_with_egress_rules_isolates_ingress_and_egress()
    {
        var policy = Policy(egress: new V1NetworkPolicyEgressRule());

        _rules.Default(policy);

        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
    }

    [Fact]
    public void Types_given_are_kept()
    {
        var policy = Policy(null, null, "Egress");

        _rules.Default(policy);

        Assert.Equal(["Egress"], policy.Spec.PolicyTypes);
    }

    [Fact]
    public void A_policy_without_a_spec_selects_every_pod_and_isolates_ingress()
    {
        var policy = new V1NetworkPolicy { Metadata = new V1ObjectMeta { Name = "deny-all" } };

        Assert.Empty(Errors(policy));
        Assert.NotNull(policy.Spec.PodSelector);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
    }

    [Fact]
    public void Selectors_ip_blocks_and_numbered_named_and_ranged_ports_are_valid()
    {
        var policy = Policy(
            new V1NetworkPolicyIngressRule
            {
                FromProperty =
                [
                    new V1NetworkPolicyPeer { PodSelector = Selector("role", "frontend") },
                    new V1NetworkPolicyPeer { NamespaceSelector = Selector("team", "a", "b"), PodSelector = new V1LabelSelector() },
                    Block("172.17.0.0/16", "172.17.1.0/24"),
                ],
                Ports = [new V1NetworkPolicyPort { Port = 6379 }, new V1NetworkPolicyPort { Port = "metrics" }],
            },
            new V1NetworkPolicyEgressRule
            {
                To = [Block("10.0.0.0/24"), Block("2001:db8::/32", "2001:db8:1::/48")],
                Ports = [new V1NetworkPolicyPort { Port = 32000, EndPort = 32768 }, new V1NetworkPolicyPort { Protocol = "SCTP" }],
            },
            "Ingress", "Egress");

        Assert.Empty(Errors(policy));
    }

    [Fact]
    public void The_pod_selector_is_a_valid_label_selector()
    {
        var policy = Policy();
        policy.Spec.PodSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "Has" }] };

        Assert.Equal(["spec.podSelector.matchExpressions[0].operator: Invalid value: \"Has\": not a valid selector operator"], Errors(policy));
    }

    [Fact]
    public void A_protocol_is_tcp_udp_or_sctp()
    {
        Assert.Equal(
            ["spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""],
            Errors(OnPort(new V1NetworkPolicyPort { Protocol = "ICMP", Port = 80 })));
    }

    [Fact]
    public void A_numbered_port_is_between_1_and_65535()
    {
        Assert.Equal(
            ["spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
            Errors(OnPort(new V1NetworkPolicyPort { Port = 0 })));
    }

    [Fact]
    public void A_named_port_is_an_iana_service_name()
    {
        var policy = Policy(egress: new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Port = "web--ui" }] });

        Assert.Equal(["spec.egress[0].ports[0].port: Invalid value: \"web--ui\": must not contain consecutive hyphens"], Errors(policy));
    }

    [Fact]
    public void An_end_port_below_the_port_is_refused_with_the_port_as_kube_1_32_reports_it()
    {
        Assert.Equal(
            ["spec.ingress[0].ports[0].endPort: Invalid value: 8080: must be greater than or equal to `port`"],
            Errors(OnPort(new V1NetworkPolicyPort { Port = 8080, EndPort = 80 })));
    }

    [Fact]
    public void An_end_port_is_a_port_number()
    {
        Assert.Equal(
            ["spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
            Errors(OnPort(new V1NetworkPolicyPort { Port = 80, EndPort = 70000 })));
    }

    [Fact]
    public void An_end_port_needs_a_numbered_port()
    {
        Assert.Equal(
            ["spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric"],
            Errors(OnPort(new V1NetworkPolicyPort { Port = "http", EndPort = 90 })));
        Assert.Equal(
            ["spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified"],
            Errors(OnPort(new V1NetworkPolicyPort { EndPort = 90 })));
    }

    [Fact]
    public void A_peer_names_pods_namespaces_or_an_ip_block()
    {
        Assert.Equal(["spec.ingress[0].from[0]: Required value: must specify a peer"], Errors(From(new V1NetworkPolicyPeer())));
    }

    [Fact]
    public void An_ip_block_is_a_peer_alone()
    {
        var peer = Block("10.0.0.0/8");
        peer.NamespaceSelector = new V1LabelSelector();
        var policy = Policy(egress: new V1NetworkPolicyEgressRule { To = [peer] });

        Assert.Equal(["spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"], Errors(policy));
    }

    [Fact]
    public void A_peer_selector_is_a_valid_label_selector()
    {
        Assert.Single(Errors(From(new V1NetworkPolicyPeer { NamespaceSelector = Selector("team", "a b") })), e => e.StartsWith(
            "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values[0]: Invalid value: \"a b\": a valid label must be", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ip_block_needs_a_cidr()
    {
        Assert.Equal(["spec.ingress[0].from[0].ipBlock.cidr: Required value"], Errors(From(Block(""))));
    }

    [Fact]
    public void An_ip_block_cidr_must_parse()
    {
        Assert.Equal([$"spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": {InvalidCidr}"], Errors(From(Block("10.0.0.0/33"))));
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("010.000.0.0/08")]
    [InlineData("::ffff:10.0.0.0/104")]
    public void A_cidr_is_read_as_loosely_as_kube_1_32_reads_it(string cidr)
    {
        Assert.Empty(Errors(From(Block(cidr))));
    }

    [Fact]
    public void An_exception_is_a_valid_cidr_strictly_inside_the_block()
    {
        Assert.Equal(
            [
                "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must be a strict subset of `cidr`",
                "spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: \"10.0.0.0/8\": must be a strict subset of `cidr`",
                $"spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: \"10.2.0.0\": {InvalidCidr}",
                "spec.ingress[0].from[0].ipBlock.except[4]: Invalid value: \"::/64\": must be a strict subset of `cidr`",
            ],
            Errors(From(Block("10.0.0.0/8", "192.168.0.0/16", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0", "::/64"))));
    }

    [Fact]
    public void At_most_two_policy_types()
    {
        Assert.Equal(
            ["spec.policyTypes: Invalid value: []networking.PolicyType{\"Ingress\", \"Egress\", \"Ingress\"}: may not specify more than two policyTypes"],
            Errors(Policy(null, null, "Ingress", "Egress", "Ingress")));
    }

    [Fact]
    public void A_policy_type_is_ingress_or_egress()
    {
        Assert.Equal(
            ["spec.policyTypes[1]: Unsupported value: \"egress\": supported values: \"Ingress\", \"Egress\""],
            Errors(Policy(null, null, "Ingress", "egress")));
    }

    [Fact]
    public void An_update_is_checked_as_a_create()
    {
        var old = Policy(new V1NetworkPolicyIngressRule());
        var policy = Policy(new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = 0, Protocol = "TCP" }] });

        Assert.Equal(
            ["spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
            _rules.ValidateUpdate(policy, old).Select(e => e.ToString()));
    }

    [Fact]
    public void A_stored_pod_selector_that_no_longer_validates_lets_its_label_values_stay()
    {
        var old = Policy();
        old.Spec.PodSelector = Selector("app", "a b");
        var policy = From(new V1NetworkPolicyPeer { PodSelector = Selector("role", "c d") });
        policy.Spec.PodSelector = Selector("app", "a b");

        Assert.Empty(_rules.ValidateUpdate(policy, old));
        Assert.Equal(2, _rules.ValidateUpdate(policy, Policy()).Count);
    }
}
