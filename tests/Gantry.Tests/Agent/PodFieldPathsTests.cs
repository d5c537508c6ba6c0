using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class PodFieldPathsTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team", Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { NodeName = "node-1", Containers = [] },
    };

    [Theory]
    [InlineData("status.podIP", "10.244.0.5")]
    [InlineData("status.podIPs", "10.244.0.5")]
    [InlineData("status.hostIP", "192.0.2.10")]
    [InlineData("status.hostIPs", "192.0.2.10")]
    public void A_single_address_is_the_whole_list(string path, string expected)
    {
        Assert.Equal(expected, PodFieldPaths.Value(Pod, path, "10.244.0.5", "192.0.2.10"));
    }

    [Fact]
    public void An_address_not_known_yet_is_empty()
    {
        Assert.Equal("", PodFieldPaths.Value(Pod, "status.podIPs", null, null));
    }

    [Theory]
    [InlineData("metadata.name", "p")]
    [InlineData("metadata.namespace", "team")]
    [InlineData("spec.nodeName", "node-1")]
    [InlineData("metadata.labels['app']", "web")]
    [InlineData("metadata.labels['missing']", "")]
    public void The_pods_own_fields_are_read_from_it(string path, string expected)
    {
        Assert.Equal(expected, PodFieldPaths.Value(Pod, path, null, null));
    }

    [Fact]
    public void A_path_the_downward_api_does_not_offer_is_a_config_error()
    {
        Assert.Throws<ContainerConfigException>(() => PodFieldPaths.Value(Pod, "status.nominatedNodeName", null, null));
    }
}
