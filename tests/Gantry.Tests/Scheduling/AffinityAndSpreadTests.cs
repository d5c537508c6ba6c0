using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class AffinityAndSpreadTests
{
    private static V1Pod Labelled(string app, string ns = "default") =>
        new() { Metadata = new V1ObjectMeta { Name = app, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = app } }, Spec = new V1PodSpec() };

    private static V1PodAffinityTerm Term(string app, string key = "kubernetes.io/hostname") => new()
    {
        TopologyKey = key,
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
    };

    private static NodeInfo Host(string name, string zone = "a", params V1Pod[] pods) =>
        Node(name, labels: new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["zone"] = zone }, pods: pods);

    private static IReadOnlyList<string> FilterOn(IFilterPlugin plugin, PodInfo pod, IReadOnlyList<NodeInfo> nodes, string node)
    {
        ((IPreFilterPlugin)plugin).PreFilter(pod, nodes);
        return plugin.Filter(pod, nodes.Single(n => n.Name == node));
    }

    [Fact]
    public void Required_anti_affinity_keeps_a_pod_off_nodes_running_what_it_avoids()
    {
        var pod = Pod(configure: s => s.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("web")] } });
        var nodes = new[] { Host("n1", pods: Labelled("web")), Host("n2") };

        Assert.Equal([InterPodAffinity.AntiAffinityReason], FilterOn(new InterPodAffinity(), pod, nodes, "n1"));
        Assert.Empty(FilterOn(new InterPodAffinity(), pod, nodes, "n2"));
    }

    [Fact]
    public void Required_affinity_puts_a_pod_in_the_domain_of_what_it_follows()
    {
        var pod = Pod(configure: s => s.Affinity = new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("db", "zone")] } });
        var nodes = new[] { Host("n1", "a", Labelled("db")), Host("n2", "a"), Host("n3", "b") };

        Assert.Empty(FilterOn(new InterPodAffinity(), pod, nodes, "n2"));
        Assert.Equal([InterPodAffinity.AffinityReason], FilterOn(new InterPodAffinity(), pod, nodes, "n3"));
    }

    [Fact]
    public void A_placed_pod_with_anti_affinity_keeps_away_the_pods_it_selects()
    {
        var guard = Labelled("guard");
        guard.Spec.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("p")] } };
        var pod = PodInfo.Of(Labelled("p"));
        pod.Pod.Spec.Containers = [];
        var nodes = new[] { Host("n1", pods: guard), Host("n2") };

        Assert.Equal([InterPodAffinity.ExistingAntiAffinityReason], FilterOn(new InterPodAffinity(), pod, nodes, "n1"));
    }

    [Fact]
    public void A_pods_own_anti_affinity_is_the_reason_given_before_that_of_the_pods_placed()
    {
        // Two pods of one group, each keeping the group off its host: kube-scheduler checks the incoming pod's
        // anti-affinity before the placed pods', so the second pod is told of its own rule.
        V1Pod Member(string name)
        {
            var member = Labelled("aa");
            member.Metadata.Name = name;
            member.Spec.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("aa")] } };
            return member;
        }

        var second = PodInfo.Of(Member("second"));
        var nodes = new[] { Host("n1", pods: Member("first")) };

        Assert.Equal([InterPodAffinity.AntiAffinityReason], FilterOn(new InterPodAffinity(), second, nodes, "n1"));
    }

    [Fact]
    public void With_fewer_domains_than_min_domains_the_emptiest_domain_counts_as_empty()
    {
        V1Pod Spread(string name)
        {
            var pod = Labelled("web");
            pod.Metadata.Name = name;
            pod.Spec.TopologySpreadConstraints = [new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                MinDomains = 2,
                TopologyKey = "kubernetes.io/hostname",
                WhenUnsatisfiable = "DoNotSchedule",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            }];
            return pod;
        }

        Assert.Empty(FilterOn(new PodTopologySpread(), PodInfo.Of(Spread("first")), [Host("n1")], "n1"));
        Assert.Equal([PodTopologySpread.Reason], FilterOn(new PodTopologySpread(), PodInfo.Of(Spread("second")), [Host("n1", pods: Spread("first"))], "n1"));
    }

    [Fact]
    public void A_DoNotSchedule_spread_constraint_refuses_a_domain_that_would_exceed_the_skew()
    {
        var pod = PodInfo.Of(Labelled("web"));
        pod.Pod.Spec.Containers = [];
        pod.Pod.Spec.TopologySpreadConstraints = [new V1TopologySpreadConstraint
        {
            MaxSkew = 1,
            TopologyKey = "zone",
            WhenUnsatisfiable = "DoNotSchedule",
            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
        }];
        var nodes = new[] { Host("n1", "a", Labelled("web")), Host("n2", "b") };

        Assert.Equal([PodTopologySpread.Reason], FilterOn(new PodTopologySpread(), pod, nodes, "n1"));
        Assert.Empty(FilterOn(new PodTopologySpread(), pod, nodes, "n2"));
    }

    [Fact]
    public void With_node_taints_policy_Honor_a_tainted_node_does_not_count_as_an_empty_domain()
    {
        var pod = PodInfo.Of(Labelled("web"));
        pod.Pod.Spec.Containers = [];
        pod.Pod.Spec.TopologySpreadConstraints = [new V1TopologySpreadConstraint
        {
            MaxSkew = 1,
            TopologyKey = "kubernetes.io/hostname",
            WhenUnsatisfiable = "DoNotSchedule",
            NodeTaintsPolicy = "Honor",
            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
        }];
        var untainted = Host("n3");
        untainted.Node.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoSchedule" }] };
        var cut = untainted with { Node = untainted.Node }; // a NodeInfo reads the taints when its Node is set
        var nodes = new[] { Host("n1", "a", Labelled("web")), Host("n2", "a", Labelled("web")), cut };

        Assert.Empty(FilterOn(new PodTopologySpread(), pod, nodes, "n1"));

        pod.Pod.Spec.TopologySpreadConstraints[0].NodeTaintsPolicy = null;
        Assert.Equal([PodTopologySpread.Reason], FilterOn(new PodTopologySpread(), pod, nodes, "n1"));
    }

    [Fact]
    public void Pods_of_one_controller_prefer_nodes_running_fewer_of_their_siblings()
    {
        var owner = new V1OwnerReference { Uid = "rs-1", Controller = true, Kind = "ReplicaSet", Name = "rs", ApiVersion = "apps/v1" };
        var sibling = Labelled("web");
        sibling.Metadata.OwnerReferences = [owner];
        var pod = Pod(configure: _ => { }).Pod;
        pod.Metadata.OwnerReferences = [owner];

        var decision = SchedulingFramework.Default().Schedule(PodInfo.Of(pod), [Host("n1", pods: sibling), Host("n2")]);

        Assert.Equal("n2", decision.Node);
    }
}
