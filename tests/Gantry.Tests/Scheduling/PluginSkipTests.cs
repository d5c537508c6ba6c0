using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

/// <summary>A plugin skips a pod only when it would refuse no node, or score every node alike, for it.</summary>
public sealed class PluginSkipTests
{
    private static readonly V1Pod Placed = new()
    {
        Metadata = new V1ObjectMeta { Name = "placed", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "db" } },
        Spec = new V1PodSpec
        {
            NodeName = "n1",
            Containers = [new V1Container { Name = "c", Image = "busybox" }],
            Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                        },
                    ],
                },
            },
        },
    };

    [Fact]
    public void A_plain_pod_is_skipped_by_every_plugin_that_looks_only_at_what_the_pod_asks_for()
    {
        var pod = PreFiltered(Pod());

        Assert.True(new NodeName().SkipsFilter(pod));
        Assert.True(new NodePorts().SkipsFilter(pod));
        Assert.True(new NodeAffinity().SkipsFilter(pod));
        Assert.True(new NodeAffinity().SkipsScore(pod));
        Assert.True(new InterPodAffinity().SkipsFilter(pod));
        Assert.True(new InterPodAffinity().SkipsScore(pod));
        Assert.True(new PodTopologySpread().SkipsFilter(pod));
        Assert.True(new PodTopologySpread().SkipsScore(pod));
        Assert.True(new SelectorSpread().SkipsScore(pod));
    }

    [Fact]
    public void Plugins_that_look_at_the_node_itself_never_skip()
    {
        var pod = PreFiltered(Pod());

        Assert.False(((IFilterPlugin)new NodeResourcesFit()).SkipsFilter(pod));
        Assert.False(((IFilterPlugin)new NodeUnschedulable()).SkipsFilter(pod));
        Assert.False(((IFilterPlugin)new TaintToleration()).SkipsFilter(pod));
        Assert.False(((IScorePlugin)new LeastAllocated()).SkipsScore(pod));
        Assert.False(((IScorePlugin)new BalancedAllocation()).SkipsScore(pod));
    }

    [Fact]
    public void A_pod_that_names_a_node_selector_or_host_port_is_filtered()
    {
        var pod = PreFiltered(Pod(configure: s =>
        {
            s.NodeName = "n1";
            s.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
            s.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 8080 }];
        }));

        Assert.False(new NodeName().SkipsFilter(pod));
        Assert.False(new NodeAffinity().SkipsFilter(pod));
        Assert.False(new NodePorts().SkipsFilter(pod));
    }

    [Fact]
    public void Inter_pod_affinity_filters_a_plain_pod_that_a_placed_pods_anti_affinity_selects()
    {
        var web = Pod();
        web.Pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        var pod = PreFiltered(web, Node("n1", labels: new Dictionary<string, string> { ["kubernetes.io/hostname"] = "n1" }, pods: [Placed]));

        Assert.False(new InterPodAffinity().SkipsFilter(pod));
    }

    [Fact]
    public void Topology_spread_filters_for_a_hard_constraint_and_scores_for_a_soft_one()
    {
        var hard = PreFiltered(Pod(configure: s => s.TopologySpreadConstraints = [Spread("DoNotSchedule")]));
        var soft = PreFiltered(Pod(configure: s => s.TopologySpreadConstraints = [Spread("ScheduleAnyway")]));

        Assert.False(new PodTopologySpread().SkipsFilter(hard));
        Assert.True(new PodTopologySpread().SkipsScore(hard));
        Assert.True(new PodTopologySpread().SkipsFilter(soft));
        Assert.False(new PodTopologySpread().SkipsScore(soft));
    }

    private static PodInfo PreFiltered(PodInfo pod, params NodeInfo[] nodes)
    {
        IReadOnlyList<NodeInfo> all = nodes.Length > 0 ? nodes : [Node("n1")];
        new InterPodAffinity().PreFilter(pod, all);
        new PodTopologySpread().PreFilter(pod, all);
        return pod;
    }

    private static V1TopologySpreadConstraint Spread(string whenUnsatisfiable) => new()
    {
        MaxSkew = 1,
        TopologyKey = "zone",
        WhenUnsatisfiable = whenUnsatisfiable,
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
    };
}
