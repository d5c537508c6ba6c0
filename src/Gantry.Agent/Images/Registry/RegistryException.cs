using System.Net;

namespace Gantry.Agent.Images.Registry;

/// <summary>
/// A registry refused or could not answer a request: unreachable, unauthorized, no such manifest or
/// blob. The message reads like containerd's, naming what was asked for and why it failed.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException()
    {
    }

    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RegistryException(string message, HttpStatusCode statusCode)
        : base(message) => StatusCode = statusCode;

    /// <summary>The HTTP status the registry answered with; null when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }
}
