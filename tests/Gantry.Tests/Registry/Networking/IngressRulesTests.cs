using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

public sealed class IngressRulesTests
{
    private readonly IResourceRules _rules = new IngressRules();

    private static V1IngressBackend Service(string name = "web", int? number = 80, string? portName = null) => new()
    {
        Service = new V1IngressServiceBackend { Name = name, Port = new V1ServiceBackendPort { Number = number, Name = portName } },
    };

    private static V1HTTPIngressPath Path(string path = "/", string? pathType = "Prefix", V1IngressBackend? backend = null) =>
        new() { Path = path, PathType = pathType, Backend = backend ?? Service() };

    private static V1Ingress Ingress(params V1IngressRule[] rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1IngressSpec { Rules = rules },
    };

    private static V1IngressRule Rule(string? host, params V1HTTPIngressPath[] paths) =>
        new() { Host = host, Http = new V1HTTPIngressRuleValue { Paths = paths } };

    private IEnumerable<string> Errors(V1Ingress ingress) => _rules.ValidateCreate(ingress).Select(e => e.ToString());

    [Fact]
    public void A_rule_for_a_host_and_path_to_a_service_port_is_valid()
    {
        Assert.Empty(Errors(Ingress(Rule("foo.com", Path("/bar", "Exact"), Path("/", "Prefix", Service(number: null, portName: "http"))))));
    }

    [Fact]
    public void An_ingress_needs_a_default_backend_or_rules()
    {
        Assert.Equal(
            ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"],
            Errors(new V1Ingress { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1IngressSpec() }));
        Assert.Empty(Errors(new V1Ingress { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1IngressSpec { DefaultBackend = Service() } }));
    }

    [Fact]
    public void A_host_is_a_dns_name_never_an_ip_address()
    {
        Assert.Equal(
            ["spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"],
            Errors(Ingress(Rule("10.0.0.1", Path()))));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("10.1")]
    public void A_number_that_go_does_not_read_as_an_ip_is_a_dns_name(string host)
    {
        Assert.Empty(Errors(Ingress(Rule(host, Path()))));
    }

    [Fact]
    public void A_wildcard_host_must_start_with_star_dot()
    {
        Assert.Empty(Errors(Ingress(Rule("*.foo.com", Path()))));
        Assert.Single(Errors(Ingress(Rule("foo.*.com", Path()))), e => e.StartsWith(
            "spec.rules[0].host: Invalid value: \"foo.*.com\": a wildcard DNS-1123 subdomain must start with '*.'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_http_rule_needs_paths()
    {
        Assert.Equal(["spec.rules[0].http.paths: Required value"], Errors(Ingress(Rule("foo.com"))));
    }

    [Fact]
    public void A_path_must_have_a_type()
    {
        Assert.Equal(["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"], Errors(Ingress(Rule(null, Path(pathType: null)))));
        Assert.Equal(
            ["spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""],
            Errors(Ingress(Rule(null, Path(pathType: "Regex")))));
    }

    [Fact]
    public void An_exact_or_prefix_path_is_absolute_and_free_of_traversal()
    {
        Assert.Equal(
            [
                "spec.rules[0].http.paths[0].path: Invalid value: \"a/../b\": must be an absolute path",
                "spec.rules[0].http.paths[0].path: Invalid value: \"a/../b\": must not contain '/../'",
            ],
            Errors(Ingress(Rule(null, Path("a/../b", "Prefix")))));
        Assert.Equal(["spec.rules[0].http.paths[0].path: Invalid value: \"/a/.\": cannot end with '/.'"], Errors(Ingress(Rule(null, Path("/a/.", "Exact")))));
    }

    [Fact]
    public void An_implementation_specific_path_may_be_empty()
    {
        Assert.Empty(Errors(Ingress(Rule(null, Path("", "ImplementationSpecific")))));
        Assert.Equal(
            ["spec.rules[0].http.paths[0].path: Invalid value: \"x\": must be an absolute path"],
            Errors(Ingress(Rule(null, Path("x", "ImplementationSpecific")))));
    }

    [Fact]
    public void A_service_backend_names_one_port()
    {
        Assert.Equal(
            ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"],
            Errors(Ingress(Rule(null, Path(backend: Service(number: null))))));
        Assert.Equal(
            ["spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number"],
            Errors(Ingress(Rule(null, Path(backend: Service(number: 80, portName: "http"))))));
        Assert.Equal(
            ["spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"],
            Errors(Ingress(Rule(null, Path(backend: Service(number: 70000))))));
    }

    [Fact]
    public void A_service_backend_name_is_a_dns_1035_label()
    {
        Assert.Single(Errors(Ingress(Rule(null, Path(backend: Service(name: "1web"))))), e => e.StartsWith(
            "spec.rules[0].http.paths[0].backend.service.name: Invalid value: \"1web\": a DNS-1035 label", StringComparison.Ordinal));
    }

    [Fact]
    public void A_backend_is_a_service_or_a_resource_not_both_nor_neither()
    {
        var both = Service();
        both.Resource = new V1TypedLocalObjectReference { Kind = "Bucket", Name = "assets", ApiGroup = "k8s.example.com" };
        Assert.Equal(["spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both resource and service backends"], Errors(Ingress(Rule(null, Path(backend: both)))));
        Assert.Equal(["spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required"], Errors(Ingress(Rule(null, Path(backend: new V1IngressBackend())))));
        Assert.Equal(
            ["spec.rules[0].http.paths[0].backend.resource.name: Required value"],
            Errors(Ingress(Rule(null, Path(backend: new V1IngressBackend { Resource = new V1TypedLocalObjectReference { Kind = "Bucket" } })))));
    }

    [Fact]
    public void Tls_hosts_and_secret_names_are_dns_subdomains()
    {
        var ingress = Ingress(Rule("foo.com", Path()));
        ingress.Spec.Tls = [new V1IngressTLS { Hosts = ["*.foo.com", "Foo.com"], SecretName = "foo_tls" }];

        Assert.Collection(
            Errors(ingress),
            e => Assert.StartsWith("spec.tls[0].hosts[1]: Invalid value: \"Foo.com\": a lowercase RFC 1123 subdomain", e, StringComparison.Ordinal),
            e => Assert.StartsWith("spec.tls[0].secretName: Invalid value: \"foo_tls\": a lowercase RFC 1123 subdomain", e, StringComparison.Ordinal));
    }

    [Fact]
    public void The_class_annotation_must_match_the_class_name()
    {
        var ingress = Ingress(Rule("foo.com", Path()));
        ingress.Spec.IngressClassName = "nginx";
        ingress.Metadata.Annotations = new Dictionary<string, string> { [IngressRules.ClassAnnotation] = "traefik" };

        Assert.Equal(["annotations.kubernetes.io/ingress.class: Invalid value: \"traefik\": must match `ingressClassName` when both are specified"], Errors(ingress));
        Assert.Empty(_rules.ValidateUpdate(ingress, Ingress(Rule("foo.com", Path()))));
    }

    [Fact]
    public void A_status_write_checks_the_load_balancer_addresses()
    {
        var ingress = Ingress(Rule("foo.com", Path()));
        ingress.Status = new V1IngressStatus
        {
            LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [new V1IngressLoadBalancerIngress { Ip = "10.0.0.300" }, new V1IngressLoadBalancerIngress { Hostname = "10.0.0.1" }] },
        };

        Assert.Equal(
            [
                "status.loadBalancer.ingress[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "status.loadBalancer.ingress[1].hostname: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
            ],
            _rules.ValidateStatusUpdate(ingress, Ingress(Rule("foo.com", Path()))).Select(e => e.ToString()));
    }
}
