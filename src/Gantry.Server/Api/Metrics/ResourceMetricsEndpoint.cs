using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Metrics;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api.Metrics;

/// <summary>
/// Serves <c>/apis/metrics.k8s.io/v1beta1</c> (<c>kubectl top</c>) as metrics-server does, with the usage the
/// agents sample themselves: nothing is stored, each request asks the agents of the nodes it is about through the
/// <see cref="NodeProxy"/> — every selected node for NodeMetrics, only the nodes the selected pods run on for
/// PodMetrics. A node whose agent does not answer is left out, as metrics-server leaves out nodes it cannot scrape.
/// <c>kubectl get pods.metrics.k8s.io</c> gets metrics-server's table.
/// </summary>
public sealed class ResourceMetricsEndpoint(
    ObjectRegistry registry, INodeStatsSource agents, ResourceMetricsScraper scraper, RequestAuthorizer authorizer, TimeProvider time)
{
    private static readonly ResourceType NodeType = ResourceCatalog.Get("", "nodes");
    private static readonly ResourceType PodType = ResourceCatalog.Get("", "pods");

    public static bool Matches(string[] segments) =>
        segments is ["apis", ResourceMetricsTypes.Group, ResourceMetricsTypes.Version, _, ..];

    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(segments);
        var (type, ns, name) = segments[3..] switch
        {
            ["nodes"] => (ResourceMetricsTypes.Nodes, null, null),
            ["nodes", var node] => (ResourceMetricsTypes.Nodes, null, node),
            ["pods"] => (ResourceMetricsTypes.Pods, null, null),
            ["namespaces", var podNamespace, "pods"] => (ResourceMetricsTypes.Pods, podNamespace, null),
            ["namespaces", var podNamespace, "pods", var pod] => (ResourceMetricsTypes.Pods, podNamespace, pod),
            _ => throw ApiException.NotFound("the server could not find the requested resource"),
        };
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        authorizer.Authorize(context, type, new RequestAttributes(name is null ? "list" : "get", type.Group, type.Plural, null, ns, name));
        var cancellationToken = context.RequestAborted;
        var items = (type == ResourceMetricsTypes.Nodes, name) switch
        {
            (true, null) => await ListNodesAsync(context, cancellationToken).ConfigureAwait(false),
            (true, { } node) => [await GetNodeAsync(node, cancellationToken).ConfigureAwait(false)],
            (false, null) => await ListPodsAsync(context, ns, cancellationToken).ConfigureAwait(false),
            (false, { } pod) => [await GetPodAsync(ns!, pod, cancellationToken).ConfigureAwait(false)],
        };
        if (CollectionWriter.WantsTable(context))
        {
            var table = TableConverter.ForList(type, items, time.GetUtcNow(), CollectionWriter.IncludeObject(context), null, null);
            await HttpResponses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(table.ToJsonString()), TableConverter.ContentType).ConfigureAwait(false);
            return;
        }

        var body = name is null ? ResourceMetricsObjects.List(items, type.ListKind) : ResourceMetricsObjects.Single(items[0], type.Kind);
        await HttpResponses.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private async Task<List<JsonObject>> ListNodesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var nodes = List(context, NodeType, null);
        var summaries = await scraper.ScrapeAsync(nodes.Select(NameOf), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return nodes
            .Select(node => summaries.TryGetValue(NameOf(node), out var summary)
                ? ResourceMetricsObjects.NodeMetrics(node["metadata"], summary.Node, now)
                : null)
            .OfType<JsonObject>()
            .ToList();
    }

    private async Task<JsonObject> GetNodeAsync(string name, CancellationToken cancellationToken)
    {
        var node = registry.Get(NodeType, null, name) is { } found
            ? JsonNode.Parse(found.Json)!
            : throw ListerNotFound("node", name);
        var summary = await agents.StatsSummaryAsync(name, cancellationToken).ConfigureAwait(false);
        var metrics = summary is null ? null : ResourceMetricsObjects.NodeMetrics(node["metadata"], summary.Node, time.GetUtcNow());
        return metrics ?? throw ApiException.NotFound(ResourceMetricsTypes.NodeMetricsStorage, name);
    }

    private async Task<List<JsonObject>> ListPodsAsync(HttpContext context, string? ns, CancellationToken cancellationToken)
    {
        var pods = List(context, PodType, ns);
        var summaries = await scraper.ScrapeAsync(pods.Select(NodeNameOf).OfType<string>(), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return pods.Select(pod => ResourceMetricsScraper.PodMetrics(pod, summaries, now)).OfType<JsonObject>().ToList();
    }

    private async Task<JsonObject> GetPodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var pod = registry.Get(PodType, ns, name) is { } found
            ? JsonNode.Parse(found.Json)!
            : throw ListerNotFound("pods", name);
        var summaries = await scraper.ScrapeAsync(NodeNameOf(pod) is { } node ? [node] : [], cancellationToken).ConfigureAwait(false);
        return ResourceMetricsScraper.PodMetrics(pod, summaries, time.GetUtcNow()) ?? throw ApiException.NotFound(ResourceMetricsTypes.PodMetricsStorage, $"{ns}/{name}");
    }

    /// <summary>The objects the request's labelSelector and fieldSelector select, in name order.</summary>
    private List<JsonNode> List(HttpContext context, ResourceType type, string? ns)
    {
        var (items, _, _) = registry.Cache.List(type.KeyPrefix, QueryOptions.Filter(context, new ResourcePath(type, ns, null, null)));
        return items.Select(item => JsonNode.Parse(item.Json)!).ToList();
    }

    /// <summary>What client-go's listers answer for an object they do not hold, which metrics-server passes on:
    /// <c>node "n1" not found</c>, <c>pods "web" not found</c>.</summary>
    private static ApiException ListerNotFound(string resource, string name) =>
        new(404, "NotFound", $"{resource} \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = resource });

    private static string NameOf(JsonNode node) => node["metadata"]!["name"]!.GetValue<string>();

    private static string? NodeNameOf(JsonNode pod) => ResourceMetricsScraper.NodeNameOf(pod);
}
