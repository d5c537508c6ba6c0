using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry.CustomResources;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Api.CustomResources;

public sealed class ScalePathsTests
{
    private static Gantry.Core.Resources.ResourceType CronTabs(string? labelSelectorPath)
    {
        var definition = CustomResourceDefinitions.CronTabs();
        definition.Spec.Versions[0].Subresources.Scale = new V1CustomResourceSubresourceScale
        {
            SpecReplicasPath = ".spec.size", StatusReplicasPath = ".status.size", LabelSelectorPath = labelSelectorPath,
        };
        return CustomResourceTypes.TypesOf(definition).Single().Stored;
    }

    [Fact]
    public void A_custom_resources_scale_reads_the_paths_its_definition_names()
    {
        var obj = JsonNode.Parse("""{"metadata": {"name": "t"}, "spec": {"size": 3}, "status": {"size": 2, "selector": "app=t"}}""")!.AsObject();

        var scale = ScaleSubresource.ToScale(obj, CronTabs(".status.selector"));

        Assert.Equal("""{"replicas":3}""", scale["spec"]!.ToJsonString());
        Assert.Equal("""{"replicas":2,"selector":"app=t"}""", scale["status"]!.ToJsonString());
    }

    [Fact]
    public void Without_a_label_selector_path_the_selector_is_left_out_whatever_the_spec_holds()
    {
        var obj = JsonNode.Parse("""{"metadata": {"name": "t"}, "spec": {"selector": {"app": 1}}}""")!.AsObject();

        var scale = ScaleSubresource.ToScale(obj, CronTabs(null));

        Assert.False(scale["status"]!.AsObject().ContainsKey("selector"));
        Assert.Equal(0, (int?)scale["spec"]!["replicas"]);
    }

    [Fact]
    public void Setting_the_replicas_makes_the_objects_on_the_way()
    {
        var obj = new JsonObject();

        ScalePaths.Of(CronTabs(null)).SetSpecReplicas(obj, 5);

        Assert.Equal("""{"spec":{"size":5}}""", obj.ToJsonString());
    }
}
