namespace Gantry.Agent.Images;

/// <summary>An image cannot be removed while containers run from its layers.</summary>
public sealed class ImageInUseException : Exception
{
    public ImageInUseException()
    {
    }

    public ImageInUseException(string message)
        : base(message)
    {
    }

    public ImageInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
