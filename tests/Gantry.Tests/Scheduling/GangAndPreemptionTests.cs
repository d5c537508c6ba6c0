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

        var plan = Preemption.Plan(pod, [node], (p, n) => SchedulingFramework.Default().Fits(p, n, [n]));

        Assert.NotNull(plan);
        Assert.Equal("n1", plan.Node);
        Assert.Equal(["big"], plan.Victims.Select(v => v.Metadata.Name));
    }

    [Fact]
    public void A_pod_that_never_preempts_evicts_nothing()
    {
        var node = Node("n1", cpus: 1, usedCpus: 1, pods: [Victim("low", 0, "1")]);
        var pod = Pod("1", configure: s => { s.Priority = 1000; s.PreemptionPolicy = "Never"; });

        Assert.Null(Preemption.Plan(pod, [node], (p, n) => SchedulingFramework.Default().Fits(p, n, [n])));
    }

    private static V1Pod Victim(string name, int priority, string cpu)
    {
        var pod = Pod(cpu, configure: s => s.Priority = priority).Pod;
        pod.Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name };
        return pod;
    }
}
