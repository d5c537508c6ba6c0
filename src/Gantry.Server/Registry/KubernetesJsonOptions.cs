using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

internal static class KubernetesJsonOptions
{
    /// <summary>
    /// The MicroTime fields of the stored kinds, as (model type, JSON name): kube writes them to the microsecond.
    /// events.k8s.io/v1 Events are never typed here (they are stored, and decoded, as core/v1 ones).
    /// </summary>
    private static readonly HashSet<(Type Type, string Name)> MicroTimes =
    [
        (typeof(V1LeaseSpec), "acquireTime"),
        (typeof(V1LeaseSpec), "renewTime"),
        (typeof(Corev1Event), "eventTime"),
        (typeof(Corev1EventSeries), "lastObservedTime"),
    ];

    /// <summary>
    /// The options KubernetesJson uses (its converters for dates, quantities, int-or-string), except that MicroTime fields
    /// are written as kube writes them (<see cref="MicroTimeConverter"/>).
    /// </summary>
    public static JsonSerializerOptions Value { get; } = WithMicroTimes(Capture());

    /// <summary>
    /// As <see cref="Value"/>, but skipping <c>metadata.managedFields</c>, for typed objects no one reads them from: the
    /// informers' (kube-scheduler and kube-controller-manager drop them too, with client-go's
    /// <c>TransformStripManagedFields</c>; an update sent without them keeps the stored ones) and the stored object a
    /// write is checked against (the registry keeps managed fields as JSON).
    /// </summary>
    public static JsonSerializerOptions WithoutManagedFields { get; } = new(Value)
    {
        TypeInfoResolver = (Value.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(SkipManagedFields),
    };

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(o => captured = o);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options");
    }

    private static JsonSerializerOptions WithMicroTimes(JsonSerializerOptions library) => new(library)
    {
        TypeInfoResolver = (library.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(contract =>
        {
            foreach (var property in contract.Properties.Where(p => MicroTimes.Contains((contract.Type, p.Name))))
            {
                var inner = (JsonConverter<DateTime?>)(property.CustomConverter ?? contract.Options.GetConverter(typeof(DateTime?)));
                property.CustomConverter = new MicroTimeConverter(inner);
            }
        }),
    };

    private static void SkipManagedFields(JsonTypeInfo contract)
    {
        if (contract.Type != typeof(V1ObjectMeta))
        {
            return;
        }

        for (var i = contract.Properties.Count - 1; i >= 0; i--)
        {
            if (contract.Properties[i].Name == "managedFields")
            {
                contract.Properties.RemoveAt(i);
            }
        }
    }
}
