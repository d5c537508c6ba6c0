using Gantry.Core.Resources;
using Gantry.Core.Resources.CustomResources;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>
/// The resource types the established CustomResourceDefinitions define, read from the watch cache: every served version
/// of each, the storage version as the type stored, the others served by conversion. A definition is served once its
/// <c>Established</c> condition is true, as kube's CRD handler serves it, until it is gone.
/// </summary>
public sealed class CustomResourceTypes(WatchCache cache)
{
    public const string Group = "apiextensions.k8s.io";
    public const string Established = "Established";

    private static readonly ResourceType Definitions = ResourceCatalog.Get(Group, "customresourcedefinitions");

    private volatile CustomResourceTypeSet? _current;

    /// <summary>The types as the cache held the definitions when last refreshed (read from it on first use).</summary>
    public CustomResourceTypeSet Current => _current ??= Read();

    /// <summary>Reads the definitions again; called once a definition's change is in the cache.</summary>
    public void Refresh() => _current = Read();

    private CustomResourceTypeSet Read()
    {
        var types = new List<CustomResourceTypeSet.Entry>();
        foreach (var cached in cache.List(Definitions.KeyPrefix, new WatchFilter(Definitions.KeyPrefix)).Items)
        {
            var definition = (V1CustomResourceDefinition)ObjectDecoder.DecodeStored(Definitions, cached.Json);
            if (IsEstablished(definition))
            {
                types.AddRange(TypesOf(definition));
            }
        }

        return new CustomResourceTypeSet(types);
    }

    public static bool IsEstablished(V1CustomResourceDefinition definition) =>
        definition.Status?.Conditions?.Any(c => c.Type == Established && c.Status == "True") == true;

    /// <summary>Each served version of <paramref name="definition"/> as a type, with the type its objects are stored as.</summary>
    public static IEnumerable<CustomResourceTypeSet.Entry> TypesOf(V1CustomResourceDefinition definition)
    {
        var spec = definition.Spec;
        var versions = spec.Versions ?? [];
        if (versions.FirstOrDefault(v => v.Storage) is not { } storage)
        {
            yield break;
        }

        var stored = TypeOf(definition, storage);
        foreach (var version in versions.Where(v => v.Served))
        {
            var served = version == storage
                ? stored
                : TypeOf(definition, version) with { Conversion = new ApiVersionConversion(stored.ApiVersion, $"{spec.Group}/{version.Name}") };
            yield return new CustomResourceTypeSet.Entry(served, stored);
        }
    }

    private static ResourceType TypeOf(V1CustomResourceDefinition definition, V1CustomResourceDefinitionVersion version)
    {
        var spec = definition.Spec;
        var names = definition.Status?.AcceptedNames ?? spec.Names;
        var subresources = new List<Subresource>();
        if (version.Subresources?.Status is not null)
        {
            subresources.Add(new Subresource("status", spec.Group, version.Name, names.Kind, ["get", "patch", "update"]));
        }

        return new ResourceType(
            spec.Group,
            version.Name,
            names.Kind,
            names.Plural,
            names.Singular ?? names.Kind.ToLowerInvariant(),
            spec.Scope == "Namespaced",
            typeof(CustomResource),
            [.. names.ShortNames ?? []],
            [.. names.Categories ?? []],
            subresources)
        {
            Custom = new CustomResourceVersion(definition, version),
        };
    }
}
