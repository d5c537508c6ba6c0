using System.Text.Json;

namespace Gantry.Core.Patching;

/// <summary>
/// A field an apply would change that another manager owns, e.g. <c>.spec.replicas</c> owned by
/// <c>kubectl-client-side-apply</c> through an <c>Update</c> with <c>apps/v1</c>.
/// </summary>
public sealed record ApplyConflict(string Manager, string Operation, string ApiVersion, string Field)
{
    /// <summary>The manager as the API server names it in conflict messages: <c>"kubectl"</c> or <c>"kubectl-edit" using apps/v1</c>.</summary>
    public string ManagerDescription => Operation == ManagedFields.UpdateOperation
        ? $"{JsonSerializer.Serialize(Manager)} using {ApiVersion}"
        : JsonSerializer.Serialize(Manager);

    /// <summary>The Status cause message for this conflict (its field is <see cref="Field"/>).</summary>
    public string Message => $"conflict with {ManagerDescription}";
}
