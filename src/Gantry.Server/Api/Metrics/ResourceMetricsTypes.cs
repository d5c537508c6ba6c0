using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api.Metrics;

/// <summary>
/// The resource metrics API (<c>metrics.k8s.io/v1beta1</c>) as metrics-server serves it: <c>nodes</c> and
/// <c>pods</c>, get and list only. They are not in the resource catalog because nothing stores them: the API server
/// asks the agents when a client asks (<see cref="ResourceMetricsEndpoint"/>).
/// </summary>
public static class ResourceMetricsTypes
{
    public const string Group = "metrics.k8s.io";

    public const string Version = "v1beta1";

    public const string ApiVersion = Group + "/" + Version;

    public static readonly IReadOnlyList<string> Verbs = ["get", "list"];

    public static readonly ResourceType Nodes = Served("NodeMetrics", "nodes", "node", namespaced: false);

    public static readonly ResourceType Pods = Served("PodMetrics", "pods", "pod", namespaced: true);

    /// <summary>The resource metrics-server's storage names in its Not Found errors: <c>nodemetrics.metrics.k8s.io "n1" not found</c>.</summary>
    public static readonly ResourceType NodeMetricsStorage = Served("NodeMetrics", "nodemetrics", "", namespaced: false);

    /// <summary>As <see cref="NodeMetricsStorage"/>, for <c>podmetrics.metrics.k8s.io "default/web" not found</c>.</summary>
    public static readonly ResourceType PodMetricsStorage = Served("PodMetrics", "podmetrics", "", namespaced: true);

    public static IReadOnlyList<ResourceType> All { get; } = [Nodes, Pods];

    private static ResourceType Served(string kind, string plural, string singular, bool namespaced) =>
        new(Group, Version, kind, plural, singular, namespaced, typeof(JsonObject), [], [], []);
}
