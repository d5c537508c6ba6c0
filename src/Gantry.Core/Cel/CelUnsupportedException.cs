namespace Gantry.Core.Cel;

/// <summary>
/// The expression may be valid CEL but uses something this engine does not implement (a function, a macro, optional
/// syntax), so a caller can skip the rule rather than reject objects because of a gap in the engine.
/// </summary>
public sealed class CelUnsupportedException : CelException
{
    public CelUnsupportedException() { }
    public CelUnsupportedException(string message) : base(message) { }
    public CelUnsupportedException(string message, Exception innerException) : base(message, innerException) { }
}
