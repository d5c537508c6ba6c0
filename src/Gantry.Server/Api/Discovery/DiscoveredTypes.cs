using Gantry.Core.Resources;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Api.Reviews;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// What discovery announces: the stored resources of the catalog, then what the server serves without storing, with
/// only the verbs it answers: the resource metrics API (as kube-apiserver announces metrics-server's group behind its
/// APIService) and the self-subject reviews.
/// </summary>
public static class DiscoveredTypes
{
    public static IReadOnlyList<ResourceType> Types { get; } = [.. ResourceCatalog.Types, .. ResourceMetricsTypes.All, .. SelfSubjectReviewTypes.All];

    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [.. ResourceCatalog.GroupVersions, (ResourceMetricsTypes.Group, ResourceMetricsTypes.Version), .. SelfSubjectReviewTypes.GroupVersions];

    public static IReadOnlyList<string> VerbsOf(ResourceType type) =>
        type.Group == ResourceMetricsTypes.Group ? ResourceMetricsTypes.Verbs
        : SelfSubjectReviewTypes.Includes(type) ? SelfSubjectReviewTypes.Verbs
        : ResourceVerbs.Standard;
}
