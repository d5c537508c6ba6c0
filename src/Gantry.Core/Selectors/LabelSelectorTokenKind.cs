namespace Gantry.Core.Selectors;

/// <summary>The lexical tokens of the label selector syntax.</summary>
internal enum LabelSelectorTokenKind
{
    Error,
    EndOfString,
    ClosedParenthesis,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenParenthesis,
}
