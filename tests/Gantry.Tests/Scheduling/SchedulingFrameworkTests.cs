using Gantry.Server.Scheduling;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class SchedulingFrameworkTests
{
    [Fact]
    public void The_pod_goes_to_the_least_allocated_feasible_node()
    {
        var decision = SchedulingFramework.Default().Schedule(Pod(), [Node("busy", usedCpus: 3), Node("idle")]);

        Assert.Equal("idle", decision.Node);
    }

    [Fact]
    public void An_unschedulable_pod_gets_the_reasons_counted_per_node_in_kubernetes_words()
    {
        var pod = Pod("2", configure: s => s.NodeSelector = new Dictionary<string, string> { ["zone"] = "a" });
        var nodes = new[]
        {
            Node("n1", cpus: 1, labels: new Dictionary<string, string> { ["zone"] = "a" }),
            Node("n2"),
            Node("n3"),
        };

        var decision = SchedulingFramework.Default().Schedule(pod, nodes);

        Assert.Null(decision.Node);
        Assert.Equal("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.", decision.Message);
    }

    [Fact]
    public void In_a_large_cluster_each_decision_looks_on_from_where_the_last_stopped_and_wraps_around()
    {
        // 250 nodes: each decision examines 120 of them (48 %, kube-scheduler's adaptive percentage), and only n20 and
        // n150 are idle, so the node chosen tells which stretch was examined.
        var nodes = Enumerable.Range(0, 250).Select(i => Node($"n{i}", usedCpus: i is 20 or 150 ? 0 : 3)).ToArray();
        var framework = SchedulingFramework.Default();

        var chosen = Enumerable.Range(0, 3).Select(_ => framework.Schedule(Pod(), nodes).Node ?? "").ToArray();

        Assert.Equal(["n20", "n150", "n20"], chosen);
    }

    [Fact]
    public void With_no_nodes_the_message_says_so()
    {
        Assert.Equal("0/0 nodes are available: no nodes available to schedule pods.", SchedulingFramework.Default().Schedule(Pod(), []).Message);
    }

    [Fact]
    public void An_explanation_scores_every_feasible_node_and_names_the_filter_that_refused_the_others()
    {
        var decision = SchedulingFramework.Default().Schedule(Pod("3"), [Node("small", cpus: 1), Node("big")], explain: true);

        Assert.Equal("NodeResourcesFit", decision.Verdicts.Single(v => v.Node == "small").RefusedBy);
        Assert.Contains("LeastAllocated", decision.Verdicts.Single(v => v.Node == "big").Scores.Keys);
    }

    [Fact]
    public void A_placement_asks_no_plugin_that_skips_the_pod()
    {
        var framework = new SchedulingFramework([new Skipping()], [new Skipping()]);

        var decision = framework.Schedule(Pod(), [Node("n1"), Node("n2")]);

        Assert.NotNull(decision.Node);
    }

    [Fact]
    public void An_explanation_asks_every_plugin_even_those_that_skip_the_pod()
    {
        var framework = new SchedulingFramework([new Skipping()], [new Skipping()]);

        Assert.Throws<InvalidOperationException>(() => framework.Schedule(Pod(), [Node("n1")], explain: true));
    }

    /// <summary>A plugin that skips every pod and fails if asked about a node anyway.</summary>
    private sealed class Skipping : IFilterPlugin, IScorePlugin
    {
        public string Name => nameof(Skipping);

        public int Weight => 1;

        public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node) => throw new InvalidOperationException("asked to filter");

        public int Score(PodInfo pod, NodeInfo node) => throw new InvalidOperationException("asked to score");

        public bool SkipsFilter(PodInfo pod) => true;

        public bool SkipsScore(PodInfo pod) => true;
    }
}
