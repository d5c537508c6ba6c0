using Gantry.Core.Resources;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>One reading of the established definitions: each served custom type, found by its path or its kind.</summary>
public sealed class CustomResourceTypeSet
{
    private readonly Dictionary<(string Group, string Version, string Plural), Entry> _byPath;
    private readonly Dictionary<(string ApiVersion, string Kind), Entry> _byKind;

    public CustomResourceTypeSet(IReadOnlyList<Entry> entries)
    {
        Entries = entries;
        _byPath = entries.DistinctBy(e => (e.Served.Group, e.Served.Version, e.Served.Plural))
            .ToDictionary(e => (e.Served.Group, e.Served.Version, e.Served.Plural));
        _byKind = entries.DistinctBy(e => (e.Served.ApiVersion, e.Served.Kind)).ToDictionary(e => (e.Served.ApiVersion, e.Served.Kind));
    }

    /// <summary>A served type and the type its objects are stored as (the same for the storage version).</summary>
    public sealed record Entry(ResourceType Served, ResourceType Stored);

    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The stored types, one per definition.</summary>
    public IEnumerable<ResourceType> StoredTypes => Entries.Where(e => e.Served == e.Stored).Select(e => e.Stored);

    public Entry? Find(string group, string version, string plural) => _byPath.GetValueOrDefault((group, version, plural));

    public Entry? FindByKind(string apiVersion, string kind) => _byKind.GetValueOrDefault((apiVersion, kind));
}
