using Gantry.Server.Security;

namespace Gantry.Server.Registry;

/// <summary>What a DELETE asks for, from its query and its DeleteOptions body.</summary>
public sealed record DeleteRequest(
    long? GracePeriodSeconds = null,
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false)
{
    public static DeleteRequest Default { get; } = new();

    /// <summary>The API request's user, for the webhooks that see the deletion; null in process.</summary>
    public RequestUser? User { get; init; }

    /// <summary>Whether the webhooks already saw the request this deletion serves (an eviction), so they do not see the deletion.</summary>
    public bool WebhooksAdmitted { get; init; }
}
