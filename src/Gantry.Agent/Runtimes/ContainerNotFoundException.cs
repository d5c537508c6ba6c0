namespace Gantry.Agent.Runtimes;

/// <summary>The runtime has no checkpoint for the handle: it was removed, or belongs to another runtime or node.</summary>
public sealed class ContainerNotFoundException : Exception
{
    public ContainerNotFoundException()
    {
    }

    public ContainerNotFoundException(string message)
        : base(message)
    {
    }

    public ContainerNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
