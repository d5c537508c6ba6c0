using Gantry.Core.Resources;

namespace Gantry.Server.Api.Discovery;

/// <summary>What one discovery answer announces: the types, and the group versions in order.</summary>
public sealed class DiscoveryCatalog(IReadOnlyList<ResourceType> types, IReadOnlyList<(string Group, string Version)> groupVersions)
{
    public IReadOnlyList<ResourceType> Types { get; } = types;

    public IReadOnlyList<(string Group, string Version)> GroupVersions { get; } = groupVersions;

    /// <summary>The documents of this catalog, built once on first use.</summary>
    internal LegacyDiscovery.Documents Legacy => field ??= new LegacyDiscovery.Documents(this);

    internal AggregatedDiscovery.Documents Aggregated => field ??= new AggregatedDiscovery.Documents(this);
}
