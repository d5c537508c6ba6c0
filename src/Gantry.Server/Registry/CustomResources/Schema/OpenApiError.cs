using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// One error of kube-openapi's validator: its code, the path it names (<c>Name</c>, e.g. <c>spec.replicas</c>), its
/// message (<c>spec.replicas in body should be greater than or equal to 1</c>), the offending value as a field error
/// prints it (null where Go's is nil), the limit (<c>Valid</c>) and an enum's values.
/// </summary>
internal sealed record OpenApiError(OpenApiErrorCode Code, string Name, string Message, object? Value = null, long? Valid = null, IReadOnlyList<JsonNode?>? Values = null)
{
    public static OpenApiError Plain(string message) => new(OpenApiErrorCode.Plain, "", message);
}
