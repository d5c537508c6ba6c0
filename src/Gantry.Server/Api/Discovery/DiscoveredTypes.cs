using Gantry.Core.Resources;
using Gantry.Server.Api.Metrics;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// What discovery announces: the stored resources of the catalog, then the resource metrics API, which the server
/// serves without storing (as kube-apiserver announces metrics-server's group behind its APIService), with only the
/// verbs it answers.
/// </summary>
public static class DiscoveredTypes
{
    public static IReadOnlyList<ResourceType> Types { get; } = [.. ResourceCatalog.Types, .. ResourceMetricsTypes.All];

    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [.. ResourceCatalog.GroupVersions, (ResourceMetricsTypes.Group, ResourceMetricsTypes.Version)];

    public static IReadOnlyList<string> VerbsOf(ResourceType type) =>
        type.Group == ResourceMetricsTypes.Group ? ResourceMetricsTypes.Verbs : ResourceVerbs.Standard;
}
