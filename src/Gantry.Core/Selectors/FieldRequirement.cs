namespace Gantry.Core.Selectors;

/// <summary>
/// One term of a field selector: <see cref="SelectorOperator.Equals"/> (written <c>=</c> or <c>==</c>) or
/// <see cref="SelectorOperator.NotEquals"/>, with the value already unescaped.
/// </summary>
public sealed record FieldRequirement(string Field, SelectorOperator Operator, string Value)
{
    /// <summary>Whether an object whose field has <paramref name="actual"/> (null when absent, which reads as empty) satisfies the term.</summary>
    public bool Matches(string? actual) =>
        Operator == SelectorOperator.NotEquals ? (actual ?? "") != Value : (actual ?? "") == Value;

    public override string ToString() =>
        $"{Field}{(Operator == SelectorOperator.NotEquals ? "!=" : "=")}{FieldSelector.EscapeValue(Value)}";
}
