using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ServiceRulesTests
{
    private readonly IResourceRules _rules = new ServiceRules();

    private static V1Service Service(params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [.. ports] },
    };

    private V1Service Defaulted(V1Service service)
    {
        _rules.Default(service);
        return service;
    }

    [Fact]
    public void Defaults_match_the_apiserver()
    {
        var spec = Defaulted(Service(new V1ServicePort { Port = 80 })).Spec;

        Assert.Equal("ClusterIP", spec.Type);
        Assert.Equal("None", spec.SessionAffinity);
        Assert.Equal("TCP", spec.Ports[0].Protocol);
        Assert.Equal("80", spec.Ports[0].TargetPort.Value);
        Assert.Equal("SingleStack", spec.IpFamilyPolicy);
        Assert.Equal(["IPv4"], spec.IpFamilies);
        Assert.Equal("Cluster", spec.InternalTrafficPolicy);
        Assert.Null(spec.ExternalTrafficPolicy);
    }

    [Fact]
    public void Node_port_services_default_the_external_traffic_policy()
    {
        var service = Service(new V1ServicePort { Port = 80 });
        service.Spec.Type = "NodePort";

        Assert.Equal("Cluster", Defaulted(service).Spec.ExternalTrafficPolicy);
        Assert.Empty(_rules.ValidateCreate(service));
    }

    [Fact]
    public void Named_target_port_is_kept()
    {
        var spec = Defaulted(Service(new V1ServicePort { Port = 80, TargetPort = "http" })).Spec;

        Assert.Equal("http", spec.Ports[0].TargetPort.Value);
    }

    [Fact]
    public void Ports_are_required_unless_the_service_is_headless()
    {
        Assert.Equal(["spec.ports: Required value"], _rules.ValidateCreate(Defaulted(Service())).Select(e => e.ToString()));

        var headless = Service();
        headless.Spec.ClusterIP = "None";
        Assert.Empty(_rules.ValidateCreate(Defaulted(headless)));
    }

    [Fact]
    public void Several_ports_need_names()
    {
        var errors = _rules.ValidateCreate(Defaulted(Service(new V1ServicePort { Port = 80 }, new V1ServicePort { Port = 443 })));

        Assert.Equal(["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Port_must_be_in_range()
    {
        var errors = _rules.ValidateCreate(Defaulted(Service(new V1ServicePort { Port = 0, TargetPort = 8080 })));

        Assert.Equal(["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Cluster_ip_may_not_change_once_set()
    {
        var old = Service(new V1ServicePort { Port = 80 });
        old.Spec.ClusterIP = "10.96.0.10";
        var updated = Service(new V1ServicePort { Port = 80 });
        updated.Spec.ClusterIP = "10.96.0.11";

        var error = Assert.Single(_rules.ValidateUpdate(Defaulted(updated), Defaulted(old)));

        Assert.Equal("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set", error.ToString());
    }

    [Fact]
    public void Update_without_cluster_ip_keeps_the_allocated_one_when_carried_over()
    {
        var old = Service(new V1ServicePort { Port = 80 });
        old.Spec.ClusterIP = "10.96.0.10";
        Defaulted(old);
        var updated = Service(new V1ServicePort { Port = 80 });

        ServiceRules.CarryOverAllocatedValues(updated, old);

        Assert.Empty(_rules.ValidateUpdate(Defaulted(updated), old));
        Assert.Equal("10.96.0.10", updated.Spec.ClusterIP);
    }

    [Fact]
    public void Unknown_type_is_not_supported()
    {
        var service = Service(new V1ServicePort { Port = 80 });
        service.Spec.Type = "Magic";

        var errors = _rules.ValidateCreate(Defaulted(service)).Select(e => e.ToString());

        Assert.Contains("spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"", errors);
    }
}
