using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Gantry.Server.Api.OpenApi;

/// <summary>Reflection over the KubernetesClient model classes: their JSON fields and the models they contain.</summary>
internal static class ModelTypes
{
    private static readonly Dictionary<(string Group, string Version, string Kind), Type> ByKind = typeof(V1Pod).Assembly
        .GetExportedTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(x => x.Entity is not null)
        .GroupBy(x => (x.Entity!.Group ?? "", x.Entity.ApiVersion, x.Entity.Kind))
        .ToDictionary(g => g.Key, g => g.First().Type);

    /// <summary>A class of the model namespace that is published as an object schema of its own.</summary>
    public static bool IsModel(Type type) =>
        type.IsClass && type.Namespace == typeof(V1Pod).Namespace
        && type != typeof(IntOrString) && type != typeof(ResourceQuantity);

    /// <summary>The model class of a kind, e.g. (apps, v1, Deployment) to V1Deployment.</summary>
    public static Type? FindKind(string group, string version, string kind) => ByKind.GetValueOrDefault((group, version, kind));

    public static KubernetesEntityAttribute? Entity(Type type) => type.GetCustomAttribute<KubernetesEntityAttribute>();

    /// <summary>The properties that are serialized, with their JSON names, in declaration order.</summary>
    public static IEnumerable<(PropertyInfo Property, string JsonName)> JsonProperties(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
        .Where(x => x.Name is not null && x.Property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
        .Select(x => (x.Property, x.Name!));

    /// <summary>The element type of a list property, or null.</summary>
    public static Type? ListElement(Type type)
    {
        if (type == typeof(byte[]))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(ICollection<>) || d == typeof(IEnumerable<>)
                || d == typeof(IReadOnlyList<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    /// <summary>The value type of a string-keyed dictionary property, or null.</summary>
    public static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
        && (d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
        && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    /// <summary>The model classes, IntOrString and Quantity that a property type refers to.</summary>
    public static IEnumerable<Type> Referenced(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ListElement(type) is { } element)
        {
            return Referenced(element);
        }

        if (DictionaryValue(type) is { } value)
        {
            return Referenced(value);
        }

        return IsModel(type) || type == typeof(IntOrString) || type == typeof(ResourceQuantity) ? [type] : [];
    }

    /// <summary>Every schema type reachable from <paramref name="roots"/>, roots first, in a stable order.</summary>
    public static IReadOnlyList<Type> Closure(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var order = new List<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            order.Add(type);
            if (!IsModel(type))
            {
                continue;
            }

            foreach (var (property, _) in JsonProperties(type))
            {
                foreach (var referenced in Referenced(property.PropertyType))
                {
                    queue.Enqueue(referenced);
                }
            }
        }

        return order;
    }
}
