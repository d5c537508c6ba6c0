using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class ScorePluginTests
{
    [Fact]
    public void LeastAllocated_prefers_the_node_with_more_left_after_the_pod()
    {
        var plugin = new LeastAllocated();

        Assert.True(plugin.Score(Pod("1"), Node("idle")) > plugin.Score(Pod("1"), Node("busy", usedCpus: 2)));
    }

    [Fact]
    public void A_pod_requesting_nothing_still_counts_as_a_small_request_when_scored()
    {
        var pod = Pod("0", "0");

        Assert.Equal(100, pod.ScoringRequests.CpuMillis);
        Assert.True(new LeastAllocated().Score(pod, Node("n")) < 100);
    }

    [Fact]
    public void BalancedAllocation_prefers_the_node_where_cpu_and_memory_end_up_equally_used()
    {
        var plugin = new BalancedAllocation();
        var pod = Pod("2", "512Mi");

        Assert.True(plugin.Score(pod, Node("even", cpus: 4, memMi: 1024)) > plugin.Score(pod, Node("skewed", cpus: 4, memMi: 16_384)));
    }

    [Fact]
    public void Preferred_node_affinity_scores_the_weight_of_the_matched_terms()
    {
        var pod = Pod(configure: s => s.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PreferredSchedulingTerm
                    {
                        Weight = 80,
                        Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "disk", OperatorProperty = "In", Values = ["ssd"] }] },
                    },
                    new V1PreferredSchedulingTerm
                    {
                        Weight = 20,
                        Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["a"] }] },
                    },
                ],
            },
        });

        Assert.Equal(80, new NodeAffinity().Score(pod, Node("n", labels: new Dictionary<string, string> { ["disk"] = "ssd" })));
        Assert.Equal(0, new NodeAffinity().Score(pod, Node("m")));
    }

    [Fact]
    public void Preferred_pod_anti_affinity_scores_lower_where_the_avoided_pods_run()
    {
        var web = new V1Pod { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = new V1PodSpec() };
        var pod = Pod(configure: s => s.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1WeightedPodAffinityTerm
                    {
                        Weight = 100,
                        PodAffinityTerm = new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                        },
                    },
                ],
            },
        });
        NodeInfo Host(string name, params V1Pod[] pods) => Node(name, labels: new Dictionary<string, string> { ["kubernetes.io/hostname"] = name }, pods: pods);
        var nodes = new[] { Host("with-web", web), Host("empty") };
        var plugin = new InterPodAffinity();
        plugin.PreFilter(pod, nodes);

        Assert.True(plugin.Score(pod, nodes[0]) < plugin.Score(pod, nodes[1]));
    }

    [Fact]
    public void ScheduleAnyway_spread_prefers_the_domain_with_fewer_selected_pods()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } };
        var web = new V1Pod { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = new V1PodSpec() };
        var pod = Pod(configure: s => s.TopologySpreadConstraints = [new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "zone", WhenUnsatisfiable = "ScheduleAnyway", LabelSelector = selector }]);
        pod.Pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        var nodes = new[]
        {
            Node("a1", labels: new Dictionary<string, string> { ["zone"] = "a" }, pods: [web]),
            Node("b1", labels: new Dictionary<string, string> { ["zone"] = "b" }),
        };
        var plugin = new PodTopologySpread();
        plugin.PreFilter(pod, nodes);

        Assert.Empty(plugin.Filter(pod, nodes[0]));
        Assert.True(plugin.Score(pod, nodes[1]) > plugin.Score(pod, nodes[0]));
    }
}
