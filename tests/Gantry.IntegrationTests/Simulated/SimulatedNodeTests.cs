using System.Diagnostics;
using Gantry.Agent.Simulated;
using k8s;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.IntegrationTests.Simulated;

/// <summary>
/// The real server with several simulated nodes: node loss and gang placement end to end, through
/// the API, with nothing actually running (no root needed).
/// </summary>
public sealed class SimulatedNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(90));
    private SimulatedCluster _cluster = null!;

    private CancellationToken Ct => _deadline.Token;

    public async Task InitializeAsync() => _cluster = await SimulatedCluster.StartAsync(Ct);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _deadline.Dispose();
    }

    [Fact]
    public async Task Simulated_nodes_report_their_pods_running_and_complete_their_deletion()
    {
        var fleet = await _cluster.AddNodesAsync(new SimulatedFleetOptions(2), Ct);
        await _cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("solo", new Dictionary<string, string> { ["app"] = "solo" }), Ns, cancellationToken: Ct);

        var running = (await _cluster.WaitForPodsAsync(Ns, pods => pods.Any(p => p.Status?.Phase == "Running"), Ct)).Single();
        var node = fleet.Nodes.Single(n => n.Name == running.Spec.NodeName);
        Assert.Equal(node.HostIp, running.Status.HostIP);
        Assert.StartsWith(node.PodCidr[..^4], running.Status.PodIP, StringComparison.Ordinal);
        Assert.Contains(running.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
        Assert.StartsWith("simulated://", running.Status.ContainerStatuses.Single().ContainerID, StringComparison.Ordinal);

        await _cluster.Client.CoreV1.DeleteNamespacedPodAsync("solo", Ns, cancellationToken: Ct);
        await _cluster.WaitForPodsAsync(Ns, pods => pods.Count == 0, Ct);
    }

    [Fact]
    public async Task Pods_of_a_node_that_stops_heartbeating_are_recreated_on_the_other_nodes_within_45_seconds()
    {
        var fleet = await _cluster.AddNodesAsync(new SimulatedFleetOptions(4), Ct);
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        await _cluster.Client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 6,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Pod("template", labels).Spec },
            },
        }, Ns, cancellationToken: Ct);
        var before = await _cluster.WaitForPodsAsync(Ns, pods => pods.Count(p => p.Status?.Phase == "Running") == 6, Ct);
        var lost = before.GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First().Key;
        var stranded = before.Where(p => p.Spec.NodeName == lost).Select(p => p.Uid()).ToHashSet();

        var clock = Stopwatch.StartNew();
        fleet.Crash(lost);
        var after = await _cluster.WaitForPodsAsync(Ns, pods =>
            pods.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running" && p.Spec.NodeName != lost) == 6, Ct);
        clock.Stop();
        output.WriteLine($"{stranded.Count} pods of {lost} replaced and Running elsewhere {clock.Elapsed.TotalSeconds:0.0} s after its heartbeat stopped");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"replacements ran after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.All(after.Where(p => stranded.Contains(p.Uid())), p => Assert.NotNull(p.Metadata.DeletionTimestamp));
        var node = await _cluster.Client.CoreV1.ReadNodeAsync(lost, cancellationToken: Ct);
        Assert.Contains(node.Spec.Taints, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute");
    }

    [Fact]
    public async Task A_gang_of_four_is_bound_all_together_or_not_at_all()
    {
        // Each node holds one gang member: three nodes are one short.
        var small = new SimulatedFleetOptions(3, Cpu: "1");
        await _cluster.AddNodesAsync(small, Ct);
        for (var i = 0; i < 4; i++)
        {
            var pod = Pod($"worker-{i}", new Dictionary<string, string> { ["scheduling.gantry.io/gang"] = "train" }, cpu: "1");
            pod.Metadata.Annotations = new Dictionary<string, string> { ["scheduling.gantry.io/gang-size"] = "4" };
            await _cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, Ns, cancellationToken: Ct);
        }

        var waiting = await _cluster.WaitForPodsAsync(Ns, pods => pods.Count == 4 && pods.All(p =>
            p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") == true), Ct);
        Assert.All(waiting, p => Assert.True(string.IsNullOrEmpty(p.Spec.NodeName), $"{p.Name()} was bound alone to {p.Spec.NodeName}"));

        await _cluster.AddNodesAsync(small with { NodeCount = 1, FirstIndex = 3 }, Ct);
        var bound = await _cluster.WaitForPodsAsync(Ns, pods => pods.Count(p => p.Status?.Phase == "Running") == 4, Ct);
        Assert.Equal(4, bound.Select(p => p.Spec.NodeName).Distinct().Count());
    }

    private static V1Pod Pod(string name, IDictionary<string, string> labels, string cpu = "100m") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "registry.k8s.io/pause:3.10",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("64Mi") } },
                },
            ],
        },
    };
}
