using Gantry.Server.Kernel;
using Gantry.Server.Scheduling;
using Gantry.Tests.Kernel;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Scheduling;

public sealed class NodeViewCacheTests
{
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly PodsByNode _pods = new();
    private readonly NodeViewCache _cache;

    public NodeViewCacheTests()
    {
        _cache = new NodeViewCache(() => _nodes.Values, name => _nodes.GetValueOrDefault(name), _pods);
        AddNode("b");
        AddNode("a");
    }

    [Fact]
    public void The_first_view_holds_every_node_in_name_order_with_what_its_offers_leave_free()
    {
        var view = _cache.Current([Offer("o1", "a", 2), Offer("o2", "a", 1), Offer("o3", "b", 4)]);

        Assert.Equal(["a", "b"], view.Nodes.Select(n => n.Name));
        Assert.Equal(3000, view.Nodes[0].Free.CpuMillis);
        Assert.Equal(["o1", "o2"], view.OffersByNode["a"]);
    }

    [Fact]
    public void A_pass_with_nothing_changed_rebuilds_no_node()
    {
        var offers = new[] { Offer("o1", "a", 2), Offer("o2", "b", 2) };
        var first = _cache.Current(offers).Nodes.ToList();

        var second = _cache.Current(offers).Nodes.ToList();

        Assert.All(first.Zip(second), pair => Assert.Same(pair.First, pair.Second));
    }

    [Fact]
    public void A_placement_stays_in_the_view_while_the_offers_agree_with_it()
    {
        var view = _cache.Current([Offer("o1", "a", 2)]);
        var pod = BoundPod("p1", "a");
        view.Place("a", pod, Resources.Pod(1, 0));

        var remainder = new Offer("o1", PodScheduler.Framework.Id, "a", Resources.Pod(2, 0).Subtract(Resources.Pod(1, 0)));
        var next = _cache.Current([remainder]);

        Assert.Equal(["p1"], next.Nodes[0].Pods.Select(p => p.Name()));
    }

    [Fact]
    public void A_node_whose_pods_changed_is_rebuilt_from_the_pods_bound_to_it()
    {
        var offers = new[] { Offer("o1", "a", 2), Offer("o2", "b", 2) };
        var before = _cache.Current(offers).Nodes[1];
        _pods.Update(null, BoundPod("p1", "b"));
        _cache.NodeChanged("b");

        var after = _cache.Current(offers).Nodes;

        Assert.Equal(["p1"], after[1].Pods.Select(p => p.Name()));
        Assert.NotSame(before, after[1]);
    }

    [Fact]
    public void A_pod_placed_but_not_yet_bound_stays_on_its_node_when_the_node_is_rebuilt()
    {
        var offers = new[] { Offer("o1", "a", 2), Offer("o2", "b", 2) };
        _cache.Current(offers);
        _pods.Assume(PendingPod("p1"), "a");
        _pods.Update(null, BoundPod("p2", "a"));
        _cache.NodeChanged("a");

        var view = _cache.Current(offers);

        Assert.Equal(["p1", "p2"], view.Nodes[0].Pods.Select(p => p.Name()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_placed_pod_counts_once_its_binding_is_seen()
    {
        var pending = PendingPod("p1");
        _pods.Assume(pending, "a");

        _pods.Update(pending, BoundPod("p1", "a"));

        var pods = _pods.On("a");
        Assert.Equal(["p1"], pods.Select(p => p.Name()));
        Assert.Equal("a", pods[0].Spec.NodeName);
    }

    [Fact]
    public void A_placement_whose_binding_failed_leaves_its_node()
    {
        var pending = PendingPod("p1");
        _pods.Assume(pending, "a");

        _pods.Forget(pending);

        Assert.Empty(_pods.On("a"));
    }

    [Fact]
    public void A_placed_pod_deleted_before_its_binding_leaves_its_node()
    {
        var pending = PendingPod("p1");
        _pods.Assume(pending, "a");

        _pods.Update(pending, null);

        Assert.Empty(_pods.On("a"));
    }

    [Fact]
    public void A_node_whose_offers_changed_is_rebuilt_with_what_they_hold_now()
    {
        _cache.Current([Offer("o1", "a", 2)]);

        var view = _cache.Current([Offer("o1", "a", 2), Offer("o9", "b", 3)]);

        Assert.Equal(3000, view.Nodes[1].Free.CpuMillis);
    }

    [Fact]
    public void A_node_added_rebuilds_the_whole_view_in_name_order()
    {
        _cache.Current([]);
        AddNode("0-first");
        _cache.MembershipChanged();

        var view = _cache.Current([]);

        Assert.Equal(["0-first", "a", "b"], view.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void A_changed_node_that_is_gone_rebuilds_the_whole_view()
    {
        _cache.Current([]);
        _nodes.Remove("a");
        _cache.NodeChanged("a");

        var view = _cache.Current([]);

        Assert.Equal(["b"], view.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void With_the_offers_version_unchanged_a_pass_reads_no_offers_and_keeps_the_placements()
    {
        var view = _cache.Current(1, () => [Offer("o1", "a", 2), Offer("o2", "b", 2)]);
        view.Place("a", BoundPod("p1", "a"), Resources.Pod(1, 0));

        var next = _cache.Current(1, () => throw new InvalidOperationException("the offers were read again"));

        Assert.Equal(1000, next.Nodes[0].Free.CpuMillis);
        Assert.Equal(["o1"], next.OffersByNode["a"]);
    }

    [Fact]
    public void With_the_offers_version_unchanged_a_changed_node_is_rebuilt_keeping_what_the_view_has_free()
    {
        var view = _cache.Current(1, () => [Offer("o1", "a", 2)]);
        var pod = BoundPod("p1", "a");
        view.Place("a", pod, Resources.Pod(1, 0));
        _pods.Update(null, pod);
        _cache.NodeChanged("a");

        var next = _cache.Current(1, () => throw new InvalidOperationException("the offers were read again"));

        Assert.Equal(["p1"], next.Nodes[0].Pods.Select(p => p.Name()));
        Assert.Equal(1000, next.Nodes[0].Free.CpuMillis);
    }

    [Fact]
    public void A_new_offers_version_reads_the_offers_again()
    {
        _cache.Current(1, () => [Offer("o1", "a", 2)]);

        var view = _cache.Current(2, () => [Offer("o1", "a", 2), Offer("o9", "b", 3)]);

        Assert.Equal(3000, view.Nodes[1].Free.CpuMillis);
    }

    [Fact]
    public void With_the_offers_version_unchanged_a_changed_node_that_is_gone_rebuilds_the_whole_view()
    {
        _cache.Current(1, () => [Offer("o1", "a", 2), Offer("o2", "b", 2)]);
        _nodes.Remove("a");
        _cache.NodeChanged("a");

        var view = _cache.Current(1, () => [Offer("o2", "b", 2)]);

        Assert.Equal(["b"], view.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void A_refused_accept_makes_the_next_pass_read_the_offers()
    {
        _cache.Current(1, () => [Offer("o1", "a", 2)]);
        _cache.OffersChanged();

        var view = _cache.Current(1, () => [Offer("o7", "a", 1)]);

        Assert.Equal(["o7"], view.OffersByNode["a"]);
        Assert.Equal(1000, view.Nodes[0].Free.CpuMillis);
    }

    private void AddNode(string name) =>
        _nodes[name] = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name },
            Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("4Gi"), ["pods"] = new("110") } },
        };

    private static Offer Offer(string id, string node, double cpus) => new(id, PodScheduler.Framework.Id, node, Resources.Pod(cpus, 0));

    private static V1Pod PendingPod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    private static V1Pod BoundPod(string name, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = "Running" },
    };
}
