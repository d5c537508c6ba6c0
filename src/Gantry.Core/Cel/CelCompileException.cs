namespace Gantry.Core.Cel;

/// <summary>The expression is not valid CEL: a syntax error, an undeclared variable, a wrong number of arguments.</summary>
public sealed class CelCompileException : CelException
{
    public CelCompileException() { }
    public CelCompileException(string message) : base(message) { }
    public CelCompileException(string message, Exception innerException) : base(message, innerException) { }
}
