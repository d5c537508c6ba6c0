using System.Text.Json.Nodes;

namespace Gantry.Core.Resources.Conversion;

/// <summary>
/// Converts the objects of a resource served in a version other than the one it is stored in, as kube-apiserver's
/// conversion functions do: what the served version cannot hold is kept where kube keeps it (annotations, for
/// autoscaling/v1), so that an object read, changed and written back in the served version loses nothing.
/// </summary>
public interface IVersionConversion
{
    /// <summary>The stored object as the served version shows it; <paramref name="stored"/> is left as it is.</summary>
    JsonObject FromStorage(JsonObject stored);

    /// <summary>An object of the served version as it is stored; <paramref name="served"/> is left as it is.</summary>
    JsonObject ToStorage(JsonObject served);

    /// <summary>
    /// The stored objects' field a field selector of the served version names (kube's field label conversion); null when
    /// the served version does not support selecting by it.
    /// </summary>
    string? StoredFieldLabel(string label);
}
