using System.Text.Json.Nodes;

namespace Gantry.Core.Resources.Conversion;

/// <summary>
/// Converts the objects of a resource served in a version other than the one it is stored in, as kube-apiserver's
/// conversion functions do: what the served version cannot hold is kept where kube keeps it (annotations, for
/// autoscaling/v1), so that an object read, changed and written back in the served version loses nothing. A custom
/// resource's conversion may call a webhook, so conversions are asynchronous and take a list's objects at once.
/// </summary>
public interface IVersionConversion
{
    /// <summary>The stored objects as the served version shows them, in their order; <paramref name="stored"/> is left as it is.</summary>
    ValueTask<IReadOnlyList<JsonObject>> FromStorageAsync(IReadOnlyList<JsonObject> stored, CancellationToken cancellationToken);

    /// <summary>An object of the served version as it is stored; <paramref name="served"/> is left as it is.</summary>
    ValueTask<JsonObject> ToStorageAsync(JsonObject served, CancellationToken cancellationToken);

    /// <summary>
    /// The stored objects' field a field selector of the served version names (kube's field label conversion); null when
    /// the served version does not support selecting by it.
    /// </summary>
    string? StoredFieldLabel(string label);
}
