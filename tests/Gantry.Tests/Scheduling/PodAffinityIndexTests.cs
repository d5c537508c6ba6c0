using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Scheduling.Nodes;

namespace Gantry.Tests.Scheduling;

public sealed class PodAffinityIndexTests
{
    private const string Hostname = "kubernetes.io/hostname";

    private static V1Pod Labelled(string name, string app, string ns = "default", V1PodAffinityTerm? avoids = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            Affinity = avoids is null ? null : new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [avoids] } },
        },
    };

    private static V1PodAffinityTerm Term(string app, string key = Hostname, IList<string>? namespaces = null) => new()
    {
        TopologyKey = key,
        Namespaces = namespaces,
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
    };

    private static V1PodAffinityTerm ExpressionTerm(string app, string key) => new()
    {
        TopologyKey = key,
        LabelSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "In", Values = [app] }] },
    };

    private static NodeInfo Host(string name, string zone, params V1Pod[] pods) =>
        Node(name, labels: new Dictionary<string, string> { [Hostname] = name, ["zone"] = zone }, pods: pods);

    private static readonly V1Pod Owner = Labelled("owner", "owner");

    [Fact]
    public void Counts_of_a_term_follow_pods_placed_after_it_was_first_asked()
    {
        var snapshot = new NodeSnapshot([Host("n1", "a"), Host("n2", "a"), Host("n3", "b")]);
        var counts = snapshot.Affinity.Matching(Term("web", "zone"), Owner);
        Assert.False(counts.Any);

        snapshot.Place("n1", Labelled("w1", "web"), Tests.Kernel.Resources.Pod(0, 0));
        snapshot.Place("n2", Labelled("w2", "web"), Tests.Kernel.Resources.Pod(0, 0));
        snapshot.Place("n3", Labelled("d1", "db"), Tests.Kernel.Resources.Pod(0, 0));

        Assert.Equal(2, counts["a"]);
        Assert.Equal(0, snapshot.Affinity.Matching(Term("web", "zone"), Owner)["b"]);
        Assert.Equal(1, snapshot.Affinity.Matching(Term("db", Hostname), Owner)["n3"]);
        Assert.Equal(3, snapshot.Affinity.PodCount);
    }

    [Fact]
    public void A_pod_removed_from_its_node_leaves_the_counts_and_the_anti_affinity_of_placed_pods()
    {
        var guard = Labelled("g", "guard", avoids: Term("web"));
        var snapshot = new NodeSnapshot([Host("n1", "a", guard, Labelled("w1", "web")), Host("n2", "a")]);
        var web = Labelled("w2", "web");
        Assert.Equal(1, snapshot.Affinity.Matching(Term("web"), Owner)["n1"]);
        Assert.Single(snapshot.Affinity.AntiAffinitySelecting(web));

        snapshot[0] = snapshot[0] with { Pods = [snapshot[0].Pods[1]] };

        Assert.Equal(1, snapshot.Affinity.Matching(Term("web"), Owner)["n1"]);
        Assert.Empty(snapshot.Affinity.AntiAffinitySelecting(web));
        snapshot[0] = snapshot[0] with { Pods = [] };
        Assert.False(snapshot.Affinity.Matching(Term("web"), Owner).Any);
        Assert.Equal(0, snapshot.Affinity.PodCount);
    }

    [Fact]
    public void A_relabelled_node_moves_its_pods_to_the_new_domain()
    {
        var guard = Labelled("g", "guard", avoids: Term("web", "zone"));
        var snapshot = new NodeSnapshot([Host("n1", "a", guard, Labelled("w1", "web")), Host("n2", "b")]);
        var counts = snapshot.Affinity.Matching(Term("web", "zone"), Owner);
        Assert.Equal(1, counts["a"]);

        var relabelled = new V1Node { Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { [Hostname] = "n1", ["zone"] = "c" } } };
        snapshot[0] = snapshot[0] with { Node = relabelled };

        Assert.Equal(0, counts["a"]);
        Assert.Equal(1, counts["c"]);
        var (key, domains) = Assert.Single(snapshot.Affinity.AntiAffinitySelecting(Labelled("w2", "web")));
        Assert.Equal("zone", key);
        Assert.Equal(["c"], domains.Keys);
    }

    [Fact]
    public void Placed_pods_with_the_same_anti_affinity_term_are_counted_together_per_domain()
    {
        var snapshot = new NodeSnapshot([
            Host("n1", "a", Labelled("g1", "guard", avoids: Term("web", "zone"))),
            Host("n2", "a", Labelled("g2", "guard", avoids: Term("web", "zone"))),
            Host("n3", "b", Labelled("g3", "guard", "other", Term("web", "zone"))),
        ]);

        var (key, domains) = Assert.Single(snapshot.Affinity.AntiAffinitySelecting(Labelled("w", "web")));
        Assert.Equal("zone", key);
        Assert.Equal(2, domains.Of("a"));
        Assert.Single(snapshot.Affinity.AntiAffinitySelecting(Labelled("w", "web", "other")));
        Assert.Empty(snapshot.Affinity.AntiAffinitySelecting(Labelled("d", "db")));
    }

    [Fact]
    public void Terms_with_expressions_or_listed_namespaces_count_what_they_select()
    {
        var snapshot = new NodeSnapshot([
            Host("n1", "a", Labelled("w1", "web"), Labelled("w2", "web", "team")),
            Host("n2", "b", Labelled("w3", "web", "elsewhere")),
        ]);

        Assert.Equal(1, snapshot.Affinity.Matching(ExpressionTerm("web", "zone"), Owner)["a"]);
        Assert.Equal(0, snapshot.Affinity.Matching(ExpressionTerm("web", "zone"), Owner)["b"]);
        var listed = snapshot.Affinity.Matching(Term("web", "zone", ["team", "elsewhere", "team"]), Owner);
        Assert.Equal(1, listed["a"]);
        Assert.Equal(1, listed["b"]);
    }

    [Fact]
    public void Decisions_and_counts_kept_incrementally_equal_those_of_nodes_indexed_afresh_and_of_a_scan()
    {
        var random = new Random(4);
        var nodes = Enumerable.Range(0, 12).Select(i => Host($"n{i:00}", $"z{i % 3}")).ToList();
        var snapshot = new NodeSnapshot(nodes);
        var plain = nodes.ToList();
        var (listFramework, snapshotFramework) = (SchedulingFramework.Default(), SchedulingFramework.Default());
        string[] apps = ["a", "b", "c"];
        string[] keys = [Hostname, "zone"];
        for (var i = 0; i < 60; i++)
        {
            var app = apps[random.Next(apps.Length)];
            var term = random.Next(2) == 0 ? Term(apps[random.Next(apps.Length)], keys[random.Next(2)]) : ExpressionTerm(apps[random.Next(apps.Length)], keys[random.Next(2)]);
            var pod = Labelled($"p{i}", app, random.Next(4) == 0 ? "other" : "default");
            pod.Spec.Containers = [];
            pod.Spec.Affinity = random.Next(4) switch
            {
                0 => new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [term] } },
                1 => new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [term] } },
                2 => new V1Affinity
                {
                    PodAffinity = new V1PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new V1WeightedPodAffinityTerm { PodAffinityTerm = term, Weight = 1 + random.Next(100) }] },
                    PodAntiAffinity = new V1PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new V1WeightedPodAffinityTerm { PodAffinityTerm = Term(app), Weight = 50 }] },
                },
                _ => null,
            };

            var counts = snapshot.Affinity.Matching(term, pod);
            foreach (var domain in plain.Select(n => n.Labels[term.TopologyKey]).Distinct())
            {
                var scanned = plain.Where(n => n.Labels[term.TopologyKey] == domain).Sum(n => n.Pods.Count(other => PodAffinityTerms.Selects(term, pod, other)));
                Assert.Equal(scanned, counts[domain]);
            }

            var guarded = plain.SelectMany(n => n.Pods.SelectMany(other =>
                    (other.Spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
                        .Where(t => PodAffinityTerms.Selects(t, other, pod))
                        .Select(t => (t.TopologyKey, Domain: n.Labels[t.TopologyKey]))))
                .ToHashSet();
            var indexed = snapshot.Affinity.AntiAffinitySelecting(pod).SelectMany(g => g.Domains.Keys.Select(d => (g.TopologyKey, Domain: d))).ToHashSet();
            Assert.Equal(guarded, indexed);

            var overList = listFramework.Schedule(PodInfo.Of(pod), plain, explain: true);
            var overSnapshot = snapshotFramework.Schedule(PodInfo.Of(pod), snapshot, explain: true);

            Assert.Equal(overList.Node, overSnapshot.Node);
            Assert.Equal(overList.Verdicts.Select(v => (v.Node, v.RefusedBy, v.Total)), overSnapshot.Verdicts.Select(v => (v.Node, v.RefusedBy, v.Total)));
            if (overList.Node is { } chosen)
            {
                var at = plain.FindIndex(n => n.Name == chosen);
                plain[at] = plain[at].With(pod, PodInfo.Of(pod).Requests);
                snapshot.Place(chosen, pod, PodInfo.Of(pod).Requests);
            }
        }

        Assert.InRange(snapshot.Affinity.PodCount, 30, 60);
        Assert.Equal(plain.Sum(n => n.Pods.Count), snapshot.Affinity.PodCount);
    }
}
