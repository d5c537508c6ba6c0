using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class SelectorSpreadTests
{
    private readonly SelectorSpread _plugin = new();

    [Fact]
    public void A_node_with_fewer_pods_of_the_same_controller_scores_higher()
    {
        var pod = Owned("rc-1");

        var empty = _plugin.Score(pod, Node("empty"));
        var one = _plugin.Score(pod, Node("one", pods: [Owned("rc-1").Pod]));
        var two = _plugin.Score(pod, Node("two", pods: [Owned("rc-1").Pod, Owned("rc-1").Pod]));

        Assert.Equal(100, empty);
        Assert.Equal(50, one);
        Assert.Equal(33, two);
    }

    [Fact]
    public void Pods_of_other_controllers_and_pods_without_one_do_not_count()
    {
        var node = Node("n", pods: [Owned("rc-2").Pod, Pod().Pod, Owned("rc-1", controller: false).Pod]);

        Assert.Equal(100, _plugin.Score(Owned("rc-1"), node));
    }

    [Fact]
    public void A_pod_without_a_controller_is_not_spread()
    {
        Assert.Equal(0, _plugin.Score(Pod(), Node("n", pods: [Owned("rc-1").Pod])));
    }

    [Fact]
    public void A_node_with_a_pod_placed_on_it_counts_that_pod()
    {
        var pod = Owned("rc-1");
        var node = Node("n");
        Assert.Equal(100, _plugin.Score(pod, node));

        var placed = node.With(Owned("rc-1").Pod, pod.Requests);

        Assert.Equal(50, _plugin.Score(pod, placed));
        Assert.Equal(100, _plugin.Score(pod, node));
    }

    [Fact]
    public void A_node_answers_each_controller_with_its_own_count_whichever_was_asked_last()
    {
        var node = Node("n", pods: [Owned("rc-1").Pod, Owned("rc-1").Pod, Owned("rc-2").Pod]);
        string[] asked = ["rc-1", "rc-2", "rc-1", "rc-3"];

        Assert.Equal([33, 50, 33, 100], asked.Select(uid => _plugin.Score(Owned(uid), node)));
    }

    private static PodInfo Owned(string controllerUid, bool controller = true)
    {
        var pod = Pod().Pod;
        pod.Metadata.OwnerReferences =
            [new V1OwnerReference { ApiVersion = "v1", Kind = "ReplicationController", Name = controllerUid, Uid = controllerUid, Controller = controller }];
        return PodInfo.Of(pod);
    }
}
