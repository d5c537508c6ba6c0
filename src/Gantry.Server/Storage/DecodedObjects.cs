using System.Runtime.CompilerServices;
using k8s;

namespace Gantry.Server.Storage;

/// <summary>
/// The typed object of a version the watch cache holds, decoded once however many admission plugins read it, and let
/// go with the version.
/// </summary>
internal static class DecodedObjects<T>
    where T : class
{
    private static readonly ConditionalWeakTable<CachedObject, T> Decoded = new();

    public static T Of(CachedObject cached) => Decoded.GetValue(
        cached, c => KubernetesJson.Deserialize<T>(new MemoryStream(c.Json, writable: false)));
}
