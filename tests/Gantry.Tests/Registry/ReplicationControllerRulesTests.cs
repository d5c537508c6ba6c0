using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ReplicationControllerRulesTests
{
    private readonly IResourceRules _rules = new ReplicationControllerRules();

    private static V1ReplicationController Controller(Dictionary<string, string>? selector = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web" },
        Spec = new V1ReplicationControllerSpec
        {
            Selector = selector,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            },
        },
    };

    [Fact]
    public void Selector_and_labels_are_defaulted_from_the_template()
    {
        var controller = Controller();

        _rules.Default(controller);

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, controller.Spec.Selector);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, controller.Metadata.Labels);
        Assert.Equal(1, controller.Spec.Replicas);
        Assert.Empty(_rules.ValidateCreate(controller));
    }

    [Fact]
    public void Template_defaults_are_applied()
    {
        var controller = Controller();

        _rules.Default(controller);

        Assert.Equal("Always", controller.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("Always", controller.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Selector_that_does_not_match_the_template_is_rejected()
    {
        var controller = Controller(new Dictionary<string, string> { ["app"] = "db" });
        _rules.Default(controller);

        var error = Assert.Single(_rules.ValidateCreate(controller));

        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`", error.ToString());
    }

    [Fact]
    public void Negative_replicas_are_rejected()
    {
        var controller = Controller();
        controller.Spec.Replicas = -1;
        _rules.Default(controller);

        Assert.Equal(["spec.replicas: Invalid value: -1: must be greater than or equal to 0"], _rules.ValidateCreate(controller).Select(e => e.ToString()));
    }

    [Fact]
    public void Template_must_restart_always()
    {
        var controller = Controller();
        controller.Spec.Template.Spec.RestartPolicy = "Never";
        _rules.Default(controller);

        Assert.Equal(["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""],
            _rules.ValidateCreate(controller).Select(e => e.ToString()));
    }

    [Fact]
    public void Template_containers_are_validated_under_the_template_path()
    {
        var controller = Controller();
        controller.Spec.Template.Spec.Containers[0].Image = null;
        _rules.Default(controller);

        Assert.Equal(["spec.template.spec.containers[0].image: Required value"], _rules.ValidateCreate(controller).Select(e => e.ToString()));
    }
}
