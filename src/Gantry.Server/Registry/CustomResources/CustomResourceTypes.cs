using Gantry.Core.Resources;
using Gantry.Core.Resources.CustomResources;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Registry.CustomResources.Conversion;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>
/// The resource types the established CustomResourceDefinitions define, as the watch cache holds the definitions now:
/// every served version of each, the storage version as the type stored, the others served by conversion. A definition
/// is served once its <c>Established</c> condition is true, as kube's CRD handler serves it, until it is gone; since
/// the set is read again whenever a definition changed, a client that saw it established finds it served.
/// </summary>
public sealed class CustomResourceTypes
{
    private static readonly ResourceType Definitions = ResourceCatalog.Get("apiextensions.k8s.io", "customresourcedefinitions");

    private readonly WatchCache _cache;
    private readonly WebhookClient _conversionWebhooks;
    private readonly BucketReading<CustomResourceTypeSet> _reading;

    // Each definition's types are built once per stored version of it: building one parses its schemas.
    private Dictionary<(string Key, long Revision), IReadOnlyList<CustomResourceTypeSet.Entry>> _built = [];

    /// <param name="conversionWebhooks">The client the definitions' conversion webhooks are called with.</param>
    public CustomResourceTypes(WatchCache cache, WebhookClient conversionWebhooks)
    {
        _cache = cache;
        _conversionWebhooks = conversionWebhooks;
        _reading = new BucketReading<CustomResourceTypeSet>(cache, Definitions.KeyPrefix, Read);
    }

    /// <summary>The types as the definitions are stored now: read again only after a definition changed.</summary>
    public CustomResourceTypeSet Current => _reading.Current;

    private CustomResourceTypeSet Read()
    {
        var definitions = _cache.List(Definitions.KeyPrefix, new WatchFilter(Definitions.KeyPrefix)).Items;
        var built = definitions.ToDictionary(d => (d.Key, d.ModRevision), d => _built.GetValueOrDefault((d.Key, d.ModRevision)) ?? Build(d.Json, _conversionWebhooks));
        _built = built;
        return new CustomResourceTypeSet([.. built.Values.SelectMany(e => e)]);
    }

    private static IReadOnlyList<CustomResourceTypeSet.Entry> Build(byte[] json, WebhookClient conversionWebhooks)
    {
        var definition = (V1CustomResourceDefinition)ObjectDecoder.DecodeStored(Definitions, json);
        return DefinitionConditions.IsTrue(definition, DefinitionConditions.Established) ? [.. TypesOf(definition, conversionWebhooks)] : [];
    }

    /// <summary>
    /// The definition's types: each served version, with the type its objects are stored as, and the storage version
    /// even when it is not served (its objects still need deleting). A version a built-in type already serves is left
    /// to it.
    /// </summary>
    /// <param name="conversionWebhooks">The client the definition's conversion webhook is called with; required when it has one.</param>
    public static IEnumerable<CustomResourceTypeSet.Entry> TypesOf(V1CustomResourceDefinition definition, WebhookClient? conversionWebhooks = null)
    {
        var spec = definition.Spec;
        var versions = spec.Versions ?? [];
        if (versions.FirstOrDefault(v => v.Storage) is not { } storage)
        {
            yield break;
        }

        var storedApiVersion = $"{spec.Group}/{storage.Name}";
        // Its own conversion too: an object stored in an earlier storage version is shown in this one.
        var stored = TypeOf(definition, storage) with
        {
            Conversion = CustomResourceConversion.For(definition, storedApiVersion, storedApiVersion, conversionWebhooks),
        };
        if (!storage.Served)
        {
            yield return new CustomResourceTypeSet.Entry(stored, stored, IsServed: false);
        }

        foreach (var version in versions.Where(v => v.Served))
        {
            var served = version == storage
                ? stored
                : TypeOf(definition, version) with
                {
                    Conversion = CustomResourceConversion.For(definition, storedApiVersion, $"{spec.Group}/{version.Name}", conversionWebhooks),
                };
            var builtIn = ResourceCatalog.Find(served.Group, served.Version, served.Plural) is not null;
            yield return new CustomResourceTypeSet.Entry(served, stored, IsServed: !builtIn);
        }
    }

    /// <summary>The type the definition's objects are stored as, for a reader of the stored objects alone (no conversion).</summary>
    public static ResourceType? StoredTypeOf(V1CustomResourceDefinition definition) =>
        definition.Spec.Versions?.FirstOrDefault(v => v.Storage) is { } storage ? TypeOf(definition, storage) : null;

    private static ResourceType TypeOf(V1CustomResourceDefinition definition, V1CustomResourceDefinitionVersion version)
    {
        var spec = definition.Spec;
        var names = definition.Status?.AcceptedNames is { Plural.Length: > 0 } accepted ? accepted : spec.Names;
        var subresources = new List<Subresource>();
        if (version.Subresources?.Status is not null)
        {
            subresources.Add(new Subresource("status", spec.Group, version.Name, names.Kind, ["get", "patch", "update"]));
        }

        if (version.Subresources?.Scale is not null)
        {
            subresources.Add(new Subresource("scale", "autoscaling", "v1", "Scale", ["get", "patch", "update"]));
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
            ListKind = names.ListKind ?? names.Kind + "List",
        };
    }
}
