namespace Gantry.Core.Selectors;

/// <summary>
/// A label or field selector that does not parse, or a selector requirement that is invalid. The message is
/// apimachinery's, e.g. <c>unable to parse requirement: found '(', expected: identifier</c>, so it can be
/// returned to clients as is.
/// </summary>
public sealed class SelectorParseException : FormatException
{
    public SelectorParseException()
    {
    }

    public SelectorParseException(string message)
        : base(message)
    {
    }

    public SelectorParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
