using Gantry.Server.Scheduling;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class GangAndPreemptionTests
{
    private static readonly Gang Gang = new("default", "g", 4);

    private static PodInfo Member(string cpu = "1") => Pod(cpu, configure: _ => { });

    [Fact]
    public void A_gang_with_fewer_pods_than_its_size_waits()
    {
        var plan = GangPlan.Make(Gang, [Member(), Member(), Member()], 0, [Node("n1")], SchedulingFramework.Default());

        Assert.Empty(plan.Placements);
        Assert.Equal("waiting for gang g: 3 of 4 pods exist", plan.Refusal);
    }

    [Fact]
    public void A_gang_that_fits_only_in_part_is_not_placed_at_all()
    {
        var plan = GangPlan.Make(Gang, [Member(), Member(), Member(), Member()], 0, [Node("n1", cpus: 3)], SchedulingFramework.Default());

        Assert.Empty(plan.Placements);
        Assert.StartsWith("0/1 nodes are available: 1 Insufficient cpu.", plan.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gang_that_fits_is_placed_whole_with_each_placement_seeing_the_ones_before()
    {
        var plan = GangPlan.Make(Gang, [Member(), Member(), Member(), Member()], 0, [Node("n1", cpus: 2), Node("n2", cpus: 2)], SchedulingFramework.Default());

        Assert.Null(plan.Refusal);
        Assert.Equal(4, plan.Placements.Count);
        Assert.Equal(2, plan.Placements.Count(p => p.Node == "n1"));
    }

    [Fact]
    public void The_gang_of_a_pod_comes_from_its_label_and_size_annotation()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                NamespaceProperty = "batch",
                Labels = new Dictionary<string, string> { [Gang.Label] = "train" },
                Annotations = new Dictionary<string, string> { [Gang.SizeAnnotation] = "8" },
            },
        };

        Assert.Equal(new Gang("batch", "train", 8), Gang.Of(pod));
        pod.Metadata.Annotations[Gang.SizeAnnotation] = "lots";
        Assert.Null(Gang.Of(pod));
    }

    [Fact]
    public void Preemption_evicts_the_fewest_lower_priority_pods_that_make_room()
    {
        var small = Victim("small", 0, "500m");
        var big = Victim("big", 0, "1500m");
        var important = Victim("important", 2000, "1");
        var node = Node("n1", cpus: 3, usedCpus: 3, pods: [small, big, important]);
        var pod = Pod("1500m", configure: s => s.Priority = 1000);

        var (plan, message) = Preempt(pod, node);

        Assert.NotNull(plan);
        Assert.Null(message);
        Assert.Equal("n1", plan.Node);
        Assert.Equal(["big"], plan.Victims.Select(v => v.Metadata.Name));
    }

    [Fact]
    public void A_pod_that_never_preempts_evicts_nothing_and_says_so()
    {
        var node = Node("n1", cpus: 1, usedCpus: 1, pods: [Victim("low", 0, "1")]);
        var pod = Pod("1", configure: s => { s.Priority = 1000; s.PreemptionPolicy = "Never"; });

        var (plan, message) = Preempt(pod, node);

        Assert.Null(plan);
        Assert.Equal("preemption: not eligible due to preemptionPolicy=Never.", message);
    }

    [Fact]
    public void A_pod_waits_for_the_victims_it_preempted_to_terminate_before_preempting_again()
    {
        var terminating = Victim("low", 0, "1");
        PreemptionVictim.Mark(terminating, "default-scheduler", DateTime.UnixEpoch);
        terminating.Metadata.DeletionTimestamp = DateTime.UnixEpoch;
        var node = Node("n1", cpus: 1, usedCpus: 1, pods: [terminating]);
        var pod = Pod("1", configure: s => s.Priority = 1000);
        pod.Pod.Status = new V1PodStatus { NominatedNodeName = "n1" };

        var (plan, message) = Preempt(pod, node);

        Assert.Null(plan);
        Assert.Equal("preemption: not eligible due to a terminating pod on the nominated node.", message);
    }

    [Fact]
    public void Preemption_that_finds_no_lower_priority_pods_ends_the_message_with_no_victims_found()
    {
        var node = Node("n1", cpus: 1, usedCpus: 1, pods: [Victim("peer", 0, "1")]);
        var pod = Pod("1");

        Assert.Equal(
            "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            FailedSchedulingMessage(pod, node));
    }

    [Fact]
    public void Preemption_is_not_helpful_on_nodes_refused_for_what_no_eviction_changes()
    {
        var pod = Pod(configure: s => { s.Priority = 1000; s.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" }; });
        var low = Victim("low", 0, "100m");

        Assert.Equal(
            "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
            FailedSchedulingMessage(pod, Node("n1", pods: [low])));
    }

    [Fact]
    public void A_node_still_too_full_without_its_lower_priority_pods_gives_the_filters_reason()
    {
        var node = Node("n1", cpus: 2, usedCpus: 2, pods: [Victim("low", 0, "500m"), Victim("high", 2000, "1500m")]);
        var pod = Pod("1", configure: s => s.Priority = 1000);

        var (_, message) = Preempt(pod, node);

        Assert.Equal("preemption: 0/1 nodes are available: 1 Insufficient cpu.", message);
    }

    [Fact]
    public void Reasons_are_counted_per_node_and_sorted_as_kube_scheduler_sorts_them_count_first()
    {
        var pod = Pod("1");
        var nodes = new[]
        {
            Node("n1", unschedulable: true),
            Node("n2", cpus: 1, usedCpus: 1, pods: [Victim("a", 0, "1")]),
            Node("n3", cpus: 1, usedCpus: 1, pods: [Victim("b", 0, "1")]),
        };

        Assert.Equal(
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. "
            + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
            FailedSchedulingMessage(pod, nodes));
    }

    private static PreemptionOutcome Preempt(PodInfo pod, params NodeInfo[] nodes)
    {
        var framework = SchedulingFramework.Default();
        return Preemption.Attempt(pod, framework.Schedule(pod, nodes), nodes, framework);
    }

    private static string FailedSchedulingMessage(PodInfo pod, params NodeInfo[] nodes)
    {
        var framework = SchedulingFramework.Default();
        var decision = framework.Schedule(pod, nodes);
        Assert.Null(decision.Node);
        return (decision with { Preemption = Preemption.Attempt(pod, decision, nodes, framework).Message }).Message;
    }

    private static V1Pod Victim(string name, int priority, string cpu)
    {
        var pod = Pod(cpu, configure: s => s.Priority = priority).Pod;
        pod.Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name };
        return pod;
    }
}
