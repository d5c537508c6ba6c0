using System.Text.Json.Nodes;
using Gantry.Core.Resources.Conversion;

namespace Gantry.Server.Registry.CustomResources.Conversion;

/// <summary>
/// A CustomResourceDefinition's conversion strategy <c>None</c>: a version served beside the storage version holds the
/// same fields, so an object changes only its <c>apiVersion</c> on the way in and out.
/// </summary>
public sealed class ApiVersionConversion(string storedApiVersion, string servedApiVersion) : ConversionFunctions
{
    public override JsonObject FromStorage(JsonObject stored) => WithApiVersion(stored, servedApiVersion);

    public override JsonObject ToStorage(JsonObject served) => WithApiVersion(served, storedApiVersion);

    public override string? StoredFieldLabel(string label) => CustomResourceConversion.StoredFieldLabel(label);

    private static JsonObject WithApiVersion(JsonObject obj, string apiVersion)
    {
        var copy = obj.DeepClone().AsObject();
        copy["apiVersion"] = apiVersion;
        return copy;
    }
}
