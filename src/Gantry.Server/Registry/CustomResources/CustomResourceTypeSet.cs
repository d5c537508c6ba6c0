using Gantry.Core.Resources;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>One reading of the established definitions: each served custom type, found by its path or its kind.</summary>
public sealed class CustomResourceTypeSet
{
    private readonly Dictionary<(string Group, string Version, string Plural), Entry> _byPath;
    private readonly Dictionary<(string ApiVersion, string Kind), Entry> _byKind;

    public CustomResourceTypeSet(IReadOnlyList<Entry> entries)
    {
        Entries = [.. entries.Where(e => e.IsServed)];
        StoredTypes = [.. entries.Select(e => e.Stored).Distinct()];
        _byPath = Entries.DistinctBy(e => (e.Served.Group, e.Served.Version, e.Served.Plural))
            .ToDictionary(e => (e.Served.Group, e.Served.Version, e.Served.Plural));
        _byKind = Entries.DistinctBy(e => (e.Served.ApiVersion, e.Served.Kind)).ToDictionary(e => (e.Served.ApiVersion, e.Served.Kind));
    }

    /// <summary>
    /// A version of a definition and the type its objects are stored as (the same for the storage version); not served
    /// when the definition says so, or when a built-in type is served at its path.
    /// </summary>
    public sealed record Entry(ResourceType Served, ResourceType Stored, bool IsServed = true);

    /// <summary>The served versions.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The stored types, one per definition, served or not.</summary>
    public IReadOnlyList<ResourceType> StoredTypes { get; }

    public Entry? Find(string group, string version, string plural) => _byPath.GetValueOrDefault((group, version, plural));

    public Entry? FindByKind(string apiVersion, string kind) => _byKind.GetValueOrDefault((apiVersion, kind));
}
