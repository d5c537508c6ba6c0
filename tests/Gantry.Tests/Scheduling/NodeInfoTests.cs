using Gantry.Server.Scheduling;
using Gantry.Tests.Kernel;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class NodeInfoTests
{
    [Fact]
    public void A_label_looked_up_again_after_the_node_is_relabelled_has_its_new_value()
    {
        var node = Node("n1", labels: new Dictionary<string, string> { ["zone"] = "a" });
        Assert.Equal("a", node.Label("zone"));

        var relabelled = node with { Node = new V1Node { Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["zone"] = "b" } } } };

        Assert.Equal("b", relabelled.Label("zone"));
        Assert.Null(relabelled.Label("rack"));
    }

    [Fact]
    public void A_placement_leaves_the_copied_amounts_equal_to_what_is_free()
    {
        var node = Node("n1", cpus: 2, memMi: 1024).With(Pod("500m", "256Mi").Pod, Resources.Pod(0.5, 256));

        Assert.Equal(node.Free.CpuMillis, node.FreeCpuMillis);
        Assert.Equal(node.Free.MemoryBytes, node.FreeMemoryBytes);
        Assert.Equal(node.Free.Pods, node.FreePods);
        Assert.Equal(2000, node.AllocatableCpuMillis);
    }

    [Theory]
    [InlineData(1.5, 512, true)]
    [InlineData(2.5, 512, false)]
    [InlineData(1, 2048, false)]
    public void Fits_agrees_with_the_resource_vectors(double cpus, long memMi, bool fits)
    {
        var node = Node("n1", cpus: 2, memMi: 1024);
        var requests = Resources.Pod(cpus, memMi);

        Assert.Equal(fits, node.Fits(requests));
        Assert.Equal(requests.FitsIn(node.Free), node.Fits(requests));
    }

    [Fact]
    public void A_domain_id_belongs_to_the_index_that_gave_it_and_follows_a_relabelled_node()
    {
        var first = new PodAffinityIndex();
        var second = new PodAffinityIndex();
        second.DomainId("zone", "z");
        var node = Node("n1", labels: new Dictionary<string, string> { ["zone"] = "a" });

        Assert.Equal(0, node.DomainId(first, "zone"));
        Assert.Equal(1, node.DomainId(second, "zone"));
        Assert.Equal(-1, node.DomainId(first, "rack"));

        var relabelled = node with { Node = new V1Node { Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["zone"] = "z" } } } };

        Assert.Equal(0, relabelled.DomainId(second, "zone"));
    }
}
