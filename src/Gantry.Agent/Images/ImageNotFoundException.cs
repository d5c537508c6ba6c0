namespace Gantry.Agent.Images;

/// <summary>No image in the store answers to the reference, and none is built in under that name.</summary>
public sealed class ImageNotFoundException : Exception
{
    public ImageNotFoundException()
    {
    }

    public ImageNotFoundException(string message)
        : base(message)
    {
    }

    public ImageNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
