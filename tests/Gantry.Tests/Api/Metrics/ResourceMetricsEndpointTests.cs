using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gantry.Core.Metrics;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Api.Metrics;

/// <summary>The metrics API over a real registry, with agents that answer from memory and note who asked them.</summary>
public sealed class ResourceMetricsEndpointTests : IAsyncLifetime
{
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    private readonly FakeAgents _agents = new();
    private RegistryTestContext _context = null!;
    private ResourceMetricsEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _endpoint = new ResourceMetricsEndpoint(_context.Registry, _agents, new ResourceMetricsScraper(_agents), new RequestAuthorizer(new NodeRole(_context.Cache), new Gantry.Tests.Security.StoredRbacPolicy(_context)), _context.Time);
        await _context.CreateAsync(RegistryTestContext.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other" } });
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            await _context.CreateAsync(Nodes, new JsonObject { ["metadata"] = new JsonObject { ["name"] = node, ["labels"] = new JsonObject { ["pool"] = node == "n3" ? "b" : "a" } } },
                new WriteOptions { User = RequestUser.Admin });
            _agents.Summaries[node] = new StatsSummary(new NodeStats(node, Cpu(1_000_000_000), Memory(1 << 30)), []);
        }

        await RunPodAsync("default", "web-1", "n1", app: "web", containers: 2);
        await RunPodAsync("default", "web-2", "n2", app: "web");
        await RunPodAsync("default", "db", "n2", app: "db");
        await RunPodAsync("other", "elsewhere", "n3", app: "web");
    }

    [Fact]
    public async Task Pods_of_a_namespace_are_asked_of_the_nodes_they_run_on_only()
    {
        var list = await GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods");

        Assert.Equal("PodMetricsList", (string?)list["kind"]);
        Assert.Equal(["db", "web-1", "web-2"], Names(list));
        Assert.Equal(["n1", "n2"], _agents.Asked.Order());
    }

    [Fact]
    public async Task A_label_selector_picks_the_pods_of_every_namespace_in_namespace_then_name_order()
    {
        var list = await GetAsync("/apis/metrics.k8s.io/v1beta1/pods", "?labelSelector=app%3Dweb");

        Assert.Equal(["web-1", "web-2", "elsewhere"], Names(list));
        var elsewhere = list["items"]![2]!;
        Assert.Equal("other", (string?)elsewhere["metadata"]!["namespace"]);
        Assert.Equal("web", (string?)elsewhere["metadata"]!["labels"]!["app"]);
        Assert.Equal("app", (string?)elsewhere["containers"]![0]!["name"]);
        Assert.Equal("250m", (string?)elsewhere["containers"]![0]!["usage"]!["cpu"]);
    }

    [Fact]
    public async Task A_field_selector_on_the_name_picks_one_pod()
    {
        var list = await GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "?fieldSelector=metadata.name%3Dweb-2");

        Assert.Equal(["web-2"], Names(list));
        Assert.Equal(["n2"], _agents.Asked);
    }

    [Fact]
    public async Task One_pod_is_answered_with_its_kind()
    {
        var pod = await GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1");

        Assert.Equal("PodMetrics", (string?)pod["kind"]);
        Assert.Equal("metrics.k8s.io/v1beta1", (string?)pod["apiVersion"]);
        Assert.Equal("10s", (string?)pod["window"]);
    }

    [Fact]
    public async Task A_pod_its_agent_has_no_metrics_for_is_not_found_in_metrics_server_words()
    {
        _agents.Summaries.TryRemove("n1", out _);

        var error = await Assert.ThrowsAsync<ApiException>(() => GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1"));

        Assert.Equal(404, error.Code);
        Assert.Equal("podmetrics.metrics.k8s.io \"default/web-1\" not found", error.Message);
    }

    [Fact]
    public async Task A_pod_that_does_not_exist_is_not_found_as_a_pod()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope"));

        Assert.Equal("pods \"nope\" not found", error.Message);
    }

    [Fact]
    public async Task Nodes_whose_agents_do_not_answer_are_left_out_of_the_list()
    {
        _agents.Summaries.TryRemove("n2", out _);

        var list = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes", "?labelSelector=pool%3Da");

        Assert.Equal("NodeMetricsList", (string?)list["kind"]);
        Assert.Equal(["n1"], Names(list));
        Assert.Equal("1", (string?)list["items"]![0]!["usage"]!["cpu"]);
        Assert.Equal("1Gi", (string?)list["items"]![0]!["usage"]!["memory"]);
    }

    [Fact]
    public async Task A_node_without_metrics_is_not_found_in_metrics_server_words()
    {
        _agents.Summaries.TryRemove("n3", out _);

        var error = await Assert.ThrowsAsync<ApiException>(() => GetAsync("/apis/metrics.k8s.io/v1beta1/nodes/n3"));

        Assert.Equal("nodemetrics.metrics.k8s.io \"n3\" not found", error.Message);
    }

    [Fact]
    public async Task Kubectl_get_has_metrics_server_columns_with_a_pod_summed_over_its_containers()
    {
        var table = await GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "?fieldSelector=metadata.name%3Dweb-1",
            accept: "application/json;as=Table;v=v1;g=meta.k8s.io");

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "cpu", "memory", "Window"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal(["web-1", "500m", "16Mi", "10s"], table["rows"]![0]!["cells"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public async Task Only_authorized_users_may_read_metrics()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => GetAsync("/apis/metrics.k8s.io/v1beta1/nodes", user: RequestUser.BootstrapToken("abcdef")));

        Assert.Equal(403, error.Code);
        Assert.StartsWith("nodes.metrics.k8s.io is forbidden", error.Message, StringComparison.Ordinal);
    }

    private async Task RunPodAsync(string ns, string name, string node, string app, int containers = 1)
    {
        var pod = RegistryTestContext.Pod(name, node);
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = app };
        var created = await _context.Registry.CreateAsync(Pods, ns, pod, new WriteOptions(), _context.Ct);
        var uid = (string)created["metadata"]!["uid"]!;
        var summary = _agents.Summaries[node];
        _agents.Summaries[node] = summary with
        {
            Pods =
            [
                .. summary.Pods,
                new PodStats(
                    new PodReference(name, ns, uid),
                    Enumerable.Range(0, containers).Select(i => new ContainerStats(i == 0 ? "app" : $"app-{i}", RegistryTestContext.Start, Cpu(250_000_000), Memory(8 << 20))).ToList()),
            ],
        };
    }

    private async Task<JsonNode> GetAsync(string path, string query = "", RequestUser? user = null, string? accept = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Headers.Accept = accept;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        (user ?? RequestUser.Admin).AttachTo(context);
        await _endpoint.HandleAsync(context, path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        context.Response.Body.Position = 0;
        return (await JsonNode.ParseAsync(context.Response.Body))!;
    }

    private static List<string> Names(JsonNode list) => list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToList();

    private static CpuStats Cpu(ulong nanoCores) => new(RegistryTestContext.Start, 1, nanoCores, TimeSpan.FromSeconds(10));

    private static MemoryStats Memory(ulong bytes) => new(RegistryTestContext.Start, bytes);

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private sealed class FakeAgents : INodeStatsSource
    {
        public ConcurrentDictionary<string, StatsSummary> Summaries { get; } = new();

        public ConcurrentQueue<string> Asked { get; } = new();

        public Task<StatsSummary?> StatsSummaryAsync(string nodeName, CancellationToken cancellationToken)
        {
            Asked.Enqueue(nodeName);
            return Task.FromResult(Summaries.GetValueOrDefault(nodeName));
        }
    }
}
