using System.Text;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The files of a configMap or secret volume (or projection), as kubelet's <c>MakePayload</c> builds them: every key
/// at its own name when the volume lists no items, else only the listed keys at their paths. Pure.
/// </summary>
internal static class KeyedPayload
{
    /// <summary>A config map's <c>data</c> as UTF-8 and its <c>binaryData</c> as raw bytes, side by side.</summary>
    public static Dictionary<string, FileProjection> OfConfigMap(V1ConfigMap map, IList<V1KeyToPath>? items, int? defaultMode, bool optional, string volume)
    {
        var data = (map.Data ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value));
        foreach (var (key, value) in map.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        return Of(data, items, defaultMode, optional, key => new VolumeSetupException(volume, $"configmap references non-existent config key: {key}"));
    }

    public static Dictionary<string, FileProjection> OfSecret(V1Secret secret, IList<V1KeyToPath>? items, int? defaultMode, bool optional, string volume) =>
        Of(secret.Data ?? new Dictionary<string, byte[]>(), items, defaultMode, optional, key => new VolumeSetupException(volume, $"references non-existent secret key: {key}"));

    /// <summary>A listed key the object lacks is an error, unless the volume is optional: then it is left out.</summary>
    private static Dictionary<string, FileProjection> Of(
        IDictionary<string, byte[]> data, IList<V1KeyToPath>? items, int? defaultMode, bool optional, Func<string, VolumeSetupException> missing)
    {
        if (items is not { Count: > 0 })
        {
            return data.ToDictionary(kv => kv.Key, kv => new FileProjection(kv.Value, FileProjection.ModeOf(null, defaultMode)), StringComparer.Ordinal);
        }

        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (data.TryGetValue(item.Key, out var value))
            {
                payload[item.Path] = new FileProjection(value, FileProjection.ModeOf(item.Mode, defaultMode));
            }
            else if (!optional)
            {
                throw missing(item.Key);
            }
        }

        return payload;
    }
}
