namespace Gantry.Core.Cel;

/// <summary>A runtime error of an evaluation: no such key, division by zero, overflow, no matching overload, cost limit.</summary>
public sealed class CelEvaluationException : CelException
{
    public CelEvaluationException() { }
    public CelEvaluationException(string message) : base(message) { }
    public CelEvaluationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// Set for the cost limit: unlike ordinary errors, <c>&amp;&amp;</c>, <c>||</c>, <c>all</c> and <c>exists</c> must not
    /// absorb it, or a runaway expression could keep going after the limit.
    /// </summary>
    internal bool IsFatal { get; init; }
}
