using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

public sealed class IngressClassRulesTests
{
    private readonly IResourceRules _rules = new IngressClassRules();

    private static V1IngressClass Class(string controller = "k8s.io/ingress-nginx", V1IngressClassParametersReference? parameters = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "nginx" },
        Spec = new V1IngressClassSpec { Controller = controller, Parameters = parameters },
    };

    private IEnumerable<string> Errors(V1IngressClass ingressClass)
    {
        _rules.Default(ingressClass);
        return _rules.ValidateCreate(ingressClass).Select(e => e.ToString());
    }

    [Fact]
    public void A_controller_named_by_a_domain_prefixed_path_is_valid()
    {
        Assert.Empty(Errors(Class()));
    }

    [Fact]
    public void The_controller_is_required_and_domain_prefixed()
    {
        Assert.Equal(["spec.controller: Required value"], Errors(Class(controller: "")));
        Assert.Equal(["spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"], Errors(Class(controller: "nginx")));
        Assert.Single(Errors(Class(controller: "k8s.io/a b")), e => e.StartsWith("spec.controller: Invalid value: \"a b\": Invalid path", StringComparison.Ordinal));
    }

    [Fact]
    public void The_controller_never_changes()
    {
        Assert.Equal(
            ["spec.controller: Invalid value: \"example.com/other\": field is immutable"],
            _rules.ValidateUpdate(Class("example.com/other"), Class()).Select(e => e.ToString()));
    }

    [Fact]
    public void Parameters_are_cluster_scoped_unless_they_say_otherwise()
    {
        var ingressClass = Class(parameters: new V1IngressClassParametersReference { Kind = "Config", Name = "default", ApiGroup = "k8s.example.com" });

        Assert.Empty(Errors(ingressClass));
        Assert.Equal(IngressClassRules.ClusterScope, ingressClass.Spec.Parameters.Scope);
    }

    [Fact]
    public void Namespaced_parameters_name_their_namespace()
    {
        var missing = new V1IngressClassParametersReference { Kind = "Config", Name = "default", Scope = "Namespace" };
        var cluster = new V1IngressClassParametersReference { Kind = "Config", Name = "default", Scope = "Cluster", NamespaceProperty = "ingress" };

        Assert.Equal(["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"], Errors(Class(parameters: missing)));
        Assert.Equal(["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"], Errors(Class(parameters: cluster)));
    }

    [Fact]
    public void Parameters_name_a_kind_and_an_object()
    {
        Assert.Equal(
            ["spec.parameters.kind: Required value", "spec.parameters.name: Invalid value: \"a/b\": may not contain '/'"],
            Errors(Class(parameters: new V1IngressClassParametersReference { Name = "a/b" })));
    }
}
