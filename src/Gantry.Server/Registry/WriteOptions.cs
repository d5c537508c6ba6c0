using Gantry.Server.Security;

namespace Gantry.Server.Registry;

/// <summary>The query parameters every write carries: dryRun, fieldManager, fieldValidation; and who writes.</summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null, FieldValidation FieldValidation = FieldValidation.Strict)
{
    public static WriteOptions Default { get; } = new();

    /// <summary>The API request's user, for admission that depends on it (<see cref="NodeRestriction"/>); null in process.</summary>
    public RequestUser? User { get; init; }

    /// <summary>The subresource an update writes (<c>status</c>, <c>approval</c>…), set by the registry for admission; null for the resource.</summary>
    public string? Subresource { get; init; }

    /// <summary>
    /// The <c>apiVersion</c> the request reads and writes, where it is not the stored one's (events.k8s.io/v1 Events);
    /// null otherwise and in process. Kube validates some writes by the version they came in.
    /// </summary>
    public string? ServedApiVersion { get; init; }

    /// <summary>
    /// Whether the webhooks already saw the request this write serves, under its own subresource (a scale's update, an
    /// eviction's condition), so they do not see the write itself, as kube's registries make those writes past admission.
    /// </summary>
    public bool WebhooksAdmitted { get; init; }

    /// <summary>Warnings for the response's <c>Warning</c> headers (unknown fields under Warn).</summary>
    public List<string> Warnings { get; } = [];
}
