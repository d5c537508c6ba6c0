namespace Gantry.Core.Cel;

/// <summary>The base of every error the CEL engine raises, so a caller can catch them all in one place.</summary>
public class CelException : Exception
{
    public CelException() { }
    public CelException(string message) : base(message) { }
    public CelException(string message, Exception innerException) : base(message, innerException) { }
}
