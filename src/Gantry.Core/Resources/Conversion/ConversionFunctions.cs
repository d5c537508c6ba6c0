using System.Text.Json.Nodes;

namespace Gantry.Core.Resources.Conversion;

/// <summary>A conversion the server makes itself, one object at a time (kube's generated conversion functions).</summary>
public abstract class ConversionFunctions : IVersionConversion
{
    /// <summary>The stored object as the served version shows it; <paramref name="stored"/> is left as it is.</summary>
    public abstract JsonObject FromStorage(JsonObject stored);

    /// <summary>An object of the served version as it is stored; <paramref name="served"/> is left as it is.</summary>
    public abstract JsonObject ToStorage(JsonObject served);

    public abstract string? StoredFieldLabel(string label);

    public ValueTask<IReadOnlyList<JsonObject>> FromStorageAsync(IReadOnlyList<JsonObject> stored, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<JsonObject>>([.. stored.Select(FromStorage)]);

    public ValueTask<JsonObject> ToStorageAsync(JsonObject served, CancellationToken cancellationToken) => ValueTask.FromResult(ToStorage(served));
}
