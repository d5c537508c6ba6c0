using Gantry.Core.Resources;
using Gantry.Server.Api.ComponentStatuses;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Api.Reviews;
using Gantry.Server.Registry.CustomResources;
using System.Runtime.CompilerServices;

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

    /// <summary>The built-in types alone.</summary>
    public static DiscoveryCatalog BuiltIn { get; } = new(Types, GroupVersions);

    private static readonly ConditionalWeakTable<CustomResourceTypeSet, DiscoveryCatalog> WithCustom = [];

    /// <summary>
    /// The built-in types and the custom ones, these after them as kube lists the groups of its CRDs after its own; a
    /// group's versions in kube's version priority, the first its preferred one.
    /// </summary>
    public static DiscoveryCatalog Including(CustomResourceTypeSet custom) =>
        custom.Entries.Count == 0 ? BuiltIn : WithCustom.GetValue(custom, c =>
        {
            var served = c.Entries.Select(e => e.Served).ToList();
            var groupVersions = served.Select(t => (t.Group, t.Version)).Distinct()
                .GroupBy(gv => gv.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.OrderBy(gv => gv.Version, KubeVersionOrder.Instance));
            // A definition may add a kind to a built-in group version (kube lets *.k8s.io groups do so when approved).
            return new DiscoveryCatalog([.. Types, .. served], [.. GroupVersions, .. groupVersions.Where(gv => !GroupVersions.Contains(gv))]);
        });

    public static IReadOnlyList<string> VerbsOf(ResourceType type) =>
        type.Group == ResourceMetricsTypes.Group ? ResourceMetricsTypes.Verbs
        : type == ComponentStatusTypes.ComponentStatuses ? ComponentStatusTypes.Verbs
        : ReviewTypes.Includes(type) ? ReviewTypes.Verbs
        : ResourceVerbs.Standard;
}
