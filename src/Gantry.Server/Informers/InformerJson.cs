using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gantry.Server.Registry;
using k8s.Models;

namespace Gantry.Server.Informers;

/// <summary>
/// How informers decode objects: as KubernetesJson does, but skipping <c>metadata.managedFields</c>, which no
/// in-process consumer reads. kube-scheduler and kube-controller-manager drop them from their informers' objects too
/// (client-go's <c>TransformStripManagedFields</c>); an update sent without them keeps the stored ones.
/// </summary>
internal static class InformerJson
{
    public static JsonSerializerOptions Options { get; } = new(KubernetesJsonOptions.Value)
    {
        TypeInfoResolver = (KubernetesJsonOptions.Value.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(SkipManagedFields),
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
