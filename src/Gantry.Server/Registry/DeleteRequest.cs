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
}
