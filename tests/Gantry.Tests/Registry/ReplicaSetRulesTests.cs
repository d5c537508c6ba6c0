using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ReplicaSetRulesTests
{
    private readonly IResourceRules _rules = new ReplicaSetRules();

    private static V1ReplicaSet ReplicaSet(string selectorApp, string templateApp) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-1" },
        Spec = new V1ReplicaSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = selectorApp } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = templateApp } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            },
        },
    };

    [Fact]
    public void Replicas_default_to_one()
    {
        var replicaSet = ReplicaSet("web", "web");

        _rules.Default(replicaSet);

        Assert.Equal(1, replicaSet.Spec.Replicas);
        Assert.Empty(_rules.ValidateCreate(replicaSet));
    }

    [Fact]
    public void Template_labels_must_match_the_selector()
    {
        var replicaSet = ReplicaSet("web", "db");
        _rules.Default(replicaSet);

        var error = Assert.Single(_rules.ValidateCreate(replicaSet));

        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`", error.ToString());
    }

    [Fact]
    public void Active_deadline_is_not_supported_in_the_template()
    {
        var replicaSet = ReplicaSet("web", "web");
        replicaSet.Spec.Template.Spec.ActiveDeadlineSeconds = 10;
        _rules.Default(replicaSet);

        var error = Assert.Single(_rules.ValidateCreate(replicaSet));

        Assert.Equal("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported", error.ToString());
    }

    [Fact]
    public void Selector_may_not_change_on_update()
    {
        var old = ReplicaSet("web", "web");
        var updated = ReplicaSet("web", "web");
        updated.Spec.Selector.MatchLabels["tier"] = "front";
        updated.Spec.Template.Metadata.Labels["tier"] = "front";
        _rules.Default(old);
        _rules.Default(updated);

        var error = Assert.Single(_rules.ValidateUpdate(updated, old));

        Assert.Equal("spec.selector", error.Field);
        Assert.EndsWith(": field is immutable", error.ToString());
    }
}
