namespace Gantry.Server.Kernel;

/// <summary>The outcome of a ledger commit: done, or refused with the node and why.</summary>
public sealed record LedgerCommit(bool Succeeded, string? Node, string? Reason)
{
    public static LedgerCommit Committed { get; } = new(true, null, null);

    public static LedgerCommit Refused(string node, string reason) => new(false, node, reason);
}
