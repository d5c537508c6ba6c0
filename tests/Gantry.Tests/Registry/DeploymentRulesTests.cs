using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class DeploymentRulesTests
{
    private readonly IResourceRules _rules = new DeploymentRules();

    private static V1Deployment Deployment(string app = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            },
        },
    };

    private V1Deployment Defaulted(V1Deployment deployment)
    {
        _rules.Default(deployment);
        return deployment;
    }

    [Fact]
    public void Defaults_match_apps_v1()
    {
        var spec = Defaulted(Deployment()).Spec;

        Assert.Equal(1, spec.Replicas);
        Assert.Equal("RollingUpdate", spec.Strategy.Type);
        Assert.Equal("25%", spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("25%", spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(10, spec.RevisionHistoryLimit);
        Assert.Equal(600, spec.ProgressDeadlineSeconds);
        Assert.Equal("ClusterFirst", spec.Template.Spec.DnsPolicy);
    }

    [Fact]
    public void Defaulted_deployment_is_valid()
    {
        Assert.Empty(_rules.ValidateCreate(Defaulted(Deployment())));
    }

    [Fact]
    public void Selector_is_required()
    {
        var deployment = Deployment();
        deployment.Spec.Selector = null;

        var errors = _rules.ValidateCreate(Defaulted(deployment)).Select(e => e.ToString());

        Assert.Contains("spec.selector: Required value", errors);
    }

    [Fact]
    public void Empty_selector_is_invalid()
    {
        var deployment = Deployment();
        deployment.Spec.Selector = new V1LabelSelector();

        var error = Assert.Single(_rules.ValidateCreate(Defaulted(deployment)));

        Assert.Equal("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment", error.ToString());
    }

    [Fact]
    public void Selector_may_not_change_on_update()
    {
        var old = Defaulted(Deployment("a"));
        var updated = Defaulted(Deployment("b"));

        var error = Assert.Single(_rules.ValidateUpdate(updated, old));

        Assert.Equal(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            error.ToString());
    }

    [Fact]
    public void Template_may_change_on_update()
    {
        var old = Defaulted(Deployment());
        var updated = Defaulted(Deployment());
        updated.Spec.Template.Spec.Containers[0].Image = "nginx:1.28";
        updated.Spec.Replicas = 5;

        Assert.Empty(_rules.ValidateUpdate(updated, old));
    }

    [Fact]
    public void Surge_and_unavailability_may_not_both_be_zero()
    {
        var deployment = Deployment();
        deployment.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 0, MaxUnavailable = "0%" },
        };

        var error = Assert.Single(_rules.ValidateCreate(Defaulted(deployment)));

        Assert.Equal("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0", error.ToString());
    }

    [Fact]
    public void Progress_deadline_must_exceed_min_ready_seconds()
    {
        var deployment = Deployment();
        deployment.Spec.MinReadySeconds = 600;

        var error = Assert.Single(_rules.ValidateCreate(Defaulted(deployment)));

        Assert.Equal("spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds", error.ToString());
    }
}
