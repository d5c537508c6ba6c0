using System.Text.RegularExpressions;
using k8s.Models;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// Maps model classes to the schema names Kubernetes publishes: <c>V1Pod</c> to <c>io.k8s.api.core.v1.Pod</c>,
/// <c>V1ObjectMeta</c> to <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>. The class names carry the
/// version but not the API group; a kind has its group in <see cref="KubernetesEntityAttribute"/>, and any
/// other class is placed in the group of the first kind that uses it (core kinds come first in the catalog,
/// so shared types such as <c>PodTemplateSpec</c> land in core, as they do in Kubernetes).
/// </summary>
internal sealed partial class SchemaNames
{
    private const string MetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    /// <summary>The apimachinery types the model library names like API types (all meta/v1).</summary>
    private static readonly HashSet<Type> MetaTypes =
    [
        typeof(V1ObjectMeta), typeof(V1ListMeta), typeof(V1LabelSelector), typeof(V1LabelSelectorRequirement),
        typeof(V1ManagedFieldsEntry), typeof(V1OwnerReference), typeof(V1Status), typeof(V1StatusDetails),
        typeof(V1StatusCause), typeof(V1DeleteOptions), typeof(V1Preconditions), typeof(V1Condition),
        typeof(V1APIResource), typeof(V1APIResourceList), typeof(V1APIGroup), typeof(V1APIGroupList),
        typeof(V1APIVersions), typeof(V1GroupVersionForDiscovery), typeof(V1ServerAddressByClientCIDR),
        typeof(V1WatchEvent),
    ];

    private readonly Dictionary<Type, string> _names = new()
    {
        [typeof(IntOrString)] = "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        [typeof(ResourceQuantity)] = "io.k8s.apimachinery.pkg.api.resource.Quantity",
    };

    /// <param name="roots">Kinds in catalog order; everything they reach is named.</param>
    public SchemaNames(IEnumerable<Type> roots)
    {
        var taken = _names.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var group = ModelTypes.Entity(root)?.Group ?? "";
            foreach (var type in ModelTypes.Closure([root]).Where(t => !_names.ContainsKey(t)))
            {
                var name = NameOf(type, group);
                if (!taken.Add(name))
                {
                    throw new InvalidOperationException($"Two model classes map to the schema name {name}; the second is {type}.");
                }

                _names[type] = name;
            }
        }
    }

    public string Of(Type type) => _names.TryGetValue(type, out var name)
        ? name
        : throw new InvalidOperationException($"{type} is not reachable from the served kinds.");

    public static string Reference(string name) => "#/components/schemas/" + name;

    private static string NameOf(Type type, string ownerGroup)
    {
        var match = ClassName().Match(type.Name);
        if (!match.Success)
        {
            return "io.k8s.gantry." + type.Name;
        }

        var version = match.Groups["version"].Value.ToLowerInvariant();
        var name = match.Groups["name"].Value;
        if (MetaTypes.Contains(type))
        {
            return MetaPackage + name;
        }

        // Classes the library had to disambiguate carry their group in front: Corev1Event, Eventsv1Event.
        var package = match.Groups["group"].Success
            ? match.Groups["group"].Value.ToLowerInvariant()
            : Package(ModelTypes.Entity(type)?.Group ?? ownerGroup);
        return $"io.k8s.api.{package}.{version}.{name}";
    }

    /// <summary>The Go package of an API group: core for "", else the group's first label (apps, coordination).</summary>
    private static string Package(string group) => group.Length == 0 ? "core" : group.Split('.')[0];

    [GeneratedRegex("^(?<group>[A-Z][a-z]+)?(?<version>[Vv][0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z].*)$")]
    private static partial Regex ClassName();
}
