using Gantry.Core.Resources;
using Gantry.Server.Api.ComponentStatuses;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Api.Reviews;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// What discovery announces: the resources of the catalog (with the versions served by conversion), then what the
/// server serves without storing, with
/// only the verbs it answers: the component statuses, the resource metrics API (as kube-apiserver announces metrics-server's group behind its
/// APIService) and the access and token reviews.
/// </summary>
public static class DiscoveredTypes
{
    public static IReadOnlyList<ResourceType> Types { get; } =
        [.. ResourceCatalog.ServedTypes, ComponentStatusTypes.ComponentStatuses, .. ResourceMetricsTypes.All, .. ReviewTypes.All];

    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [.. ResourceCatalog.GroupVersions, (ResourceMetricsTypes.Group, ResourceMetricsTypes.Version), .. ReviewTypes.GroupVersions];

    public static IReadOnlyList<string> VerbsOf(ResourceType type) =>
        type.Group == ResourceMetricsTypes.Group ? ResourceMetricsTypes.Verbs
        : type == ComponentStatusTypes.ComponentStatuses ? ComponentStatusTypes.Verbs
        : ReviewTypes.Includes(type) ? ReviewTypes.Verbs
        : ResourceVerbs.Standard;
}
