using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

internal static class KubernetesJsonOptions
{
    /// <summary>The options KubernetesJson uses (its converters for dates, quantities, int-or-string).</summary>
    public static JsonSerializerOptions Value { get; } = Capture();

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
