namespace Gantry.Durability;

internal enum WriteOutcome
{
    /// <summary>No answer (the server died, or the answer was cut off): it may or may not have landed.</summary>
    Unknown,

    /// <summary>A 2xx answer with the object's new resourceVersion: it must survive any crash.</summary>
    Acknowledged,

    /// <summary>A definite refusal (409 Conflict, 429): it did not land.</summary>
    Rejected,
}
