using System.Text.Json;
using k8s;

namespace Gantry.Server.Registry;

internal static class KubernetesJsonOptions
{
    /// <summary>The options KubernetesJson uses (its converters for dates, quantities, int-or-string).</summary>
    public static JsonSerializerOptions Value { get; } = Capture();

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(o => captured = o);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options");
    }
}
