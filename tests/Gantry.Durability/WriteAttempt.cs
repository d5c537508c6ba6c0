namespace Gantry.Durability;

/// <summary>
/// One create or update as the client saw it. Only the writer that made it changes its outcome, and
/// the ledger reads it only after every writer has finished.
/// </summary>
internal sealed class WriteAttempt
{
    public WriteAttempt(WriteKind kind, string name, string nonce, long precondition)
    {
        Kind = kind;
        Name = name;
        Nonce = nonce;
        Precondition = precondition;
    }

    public WriteKind Kind { get; }

    public string Name { get; }

    /// <summary>Unique per attempt; it is what identifies which write's content an object holds.</summary>
    public string Nonce { get; }

    /// <summary>The resourceVersion an update required (0 for creates).</summary>
    public long Precondition { get; }

    public WriteOutcome Outcome { get; private set; }

    /// <summary>The resourceVersion the server returned; 0 unless acknowledged.</summary>
    public long Revision { get; private set; }

    public void Acknowledge(long revision)
    {
        Outcome = WriteOutcome.Acknowledged;
        Revision = revision;
    }

    public void Reject() => Outcome = WriteOutcome.Rejected;

    public override string ToString() =>
        $"{Kind} {Name} nonce={Nonce} precondition={Precondition} outcome={Outcome} rv={Revision}";
}
