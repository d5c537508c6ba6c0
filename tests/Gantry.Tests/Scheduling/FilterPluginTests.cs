using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class FilterPluginTests
{
    [Fact]
    public void NodeResourcesFit_names_each_resource_the_node_is_short_of()
    {
        var reasons = new NodeResourcesFit().Filter(Pod("3", "8Gi"), Node("n", cpus: 2, memMi: 1024));

        Assert.Equal(["Insufficient cpu", "Insufficient memory"], reasons);
    }

    [Fact]
    public void NodeResourcesFit_counts_what_is_already_used()
    {
        Assert.Equal(["Insufficient cpu"], new NodeResourcesFit().Filter(Pod("1"), Node("n", cpus: 2, usedCpus: 1.5)));
        Assert.Empty(new NodeResourcesFit().Filter(Pod("500m"), Node("n", cpus: 2, usedCpus: 1.5)));
    }

    [Fact]
    public void NodeAffinity_requires_every_node_selector_label()
    {
        var pod = Pod(configure: s => s.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" });

        Assert.Equal([NodeAffinity.Reason], new NodeAffinity().Filter(pod, Node("n", labels: new Dictionary<string, string> { ["disk"] = "hdd" })));
        Assert.Empty(new NodeAffinity().Filter(pod, Node("n", labels: new Dictionary<string, string> { ["disk"] = "ssd" })));
    }

    [Theory]
    [InlineData("In", new[] { "a", "b" }, "b", true)]
    [InlineData("In", new[] { "a" }, null, false)]
    [InlineData("NotIn", new[] { "a" }, "b", true)]
    [InlineData("NotIn", new[] { "a" }, null, true)]
    [InlineData("Exists", new string[0], "x", true)]
    [InlineData("DoesNotExist", new string[0], "x", false)]
    [InlineData("Gt", new[] { "5" }, "6", true)]
    [InlineData("Lt", new[] { "5" }, "6", false)]
    [InlineData("Gt", new[] { "5" }, "not-a-number", false)]
    public void NodeAffinity_matches_required_expressions_by_their_operator(string op, string[] values, string? label, bool fits)
    {
        var pod = Pod(configure: s => s.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "k", OperatorProperty = op, Values = values }] },
                    ],
                },
            },
        });
        var labels = label is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["k"] = label };

        Assert.Equal(fits, new NodeAffinity().Filter(pod, Node("n", labels: labels)).Count == 0);
    }

    [Fact]
    public void NodeAffinity_terms_are_alternatives()
    {
        var pod = Pod(configure: s => s.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["a"] }] },
                        new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["n2"] }] },
                    ],
                },
            },
        });

        Assert.Empty(new NodeAffinity().Filter(pod, Node("n2")));
        Assert.NotEmpty(new NodeAffinity().Filter(pod, Node("n3")));
    }

    [Fact]
    public void TaintToleration_keeps_off_pods_that_do_not_tolerate_a_NoSchedule_taint()
    {
        var node = Node("n", taints: [new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }]);

        Assert.Equal(["node(s) had untolerated taint {dedicated: gpu}"], new TaintToleration().Filter(Pod(), node));
        var tolerating = Pod(configure: s => s.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" }]);
        Assert.Empty(new TaintToleration().Filter(tolerating, node));
    }

    [Fact]
    public void An_Exists_toleration_without_a_key_tolerates_every_taint()
    {
        Assert.True(Tolerations.Tolerates(new V1Toleration { OperatorProperty = "Exists" }, new V1Taint { Key = "any", Effect = "NoExecute" }));
        Assert.False(Tolerations.Tolerates(new V1Toleration { Key = "any", Value = "x" }, new V1Taint { Key = "any", Value = "y", Effect = "NoSchedule" }));
    }

    [Fact]
    public void PreferNoSchedule_taints_lower_the_score_but_do_not_filter()
    {
        var node = Node("n", taints: [new V1Taint { Key = "soft", Effect = "PreferNoSchedule" }]);

        Assert.Empty(new TaintToleration().Filter(Pod(), node));
        Assert.True(new TaintToleration().Score(Pod(), node) < new TaintToleration().Score(Pod(), Node("m")));
    }

    [Fact]
    public void NodeUnschedulable_refuses_a_cordoned_node()
    {
        Assert.Equal([NodeUnschedulable.Reason], new NodeUnschedulable().Filter(Pod(), Node("n", unschedulable: true)));
    }

    [Fact]
    public void NodeName_fits_only_the_named_node()
    {
        var pod = Pod(configure: s => s.NodeName = "n1");

        Assert.Empty(new NodeName().Filter(pod, Node("n1")));
        Assert.Equal([NodeName.Reason], new NodeName().Filter(pod, Node("n2")));
    }

    [Fact]
    public void NodePorts_refuses_a_node_where_the_host_port_is_taken()
    {
        static void WithPort(V1PodSpec s) => s.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 8080 }];
        var running = Pod(configure: WithPort).Pod;

        Assert.Equal([NodePorts.Reason], new NodePorts().Filter(Pod(configure: WithPort), Node("n", pods: [running])));
        Assert.Empty(new NodePorts().Filter(Pod(configure: WithPort), Node("n")));
    }
}
