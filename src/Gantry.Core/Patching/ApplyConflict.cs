using System.Text.Json;

namespace Gantry.Core.Patching;

/// <summary>
/// A field an apply would change that another manager owns, e.g. <c>.spec.replicas</c> owned by
/// <c>kubectl-client-side-apply</c> through an <c>Update</c> with <c>apps/v1</c>, or one owned through
/// the status <paramref name="Subresource"/>.
/// </summary>
public sealed record ApplyConflict(string Manager, string Operation, string ApiVersion, string Field, string? Subresource = null)
{
    /// <summary>
    /// The manager as the API server names it in conflict messages: <c>"kubectl"</c>, <c>"kubectl-edit" using apps/v1</c>
    /// or <c>"kubelet" with subresource "status" using v1</c>.
    /// </summary>
    public string ManagerDescription
    {
        get
        {
            var manager = string.IsNullOrEmpty(Subresource)
                ? JsonSerializer.Serialize(Manager)
                : $"{JsonSerializer.Serialize(Manager)} with subresource {JsonSerializer.Serialize(Subresource)}";
            return Operation == ManagedFields.UpdateOperation ? $"{manager} using {ApiVersion}" : manager;
        }
    }

    /// <summary>The Status cause message for this conflict (its field is <see cref="Field"/>).</summary>
    public string Message => $"conflict with {ManagerDescription}";
}
