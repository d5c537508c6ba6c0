namespace Gantry.Agent.Images;

/// <summary>
/// A container's image could not be made present. <see cref="Reason"/> is the waiting reason the
/// kubelet reports (ErrImagePull, ImagePullBackOff, ErrImageNeverPull, InvalidImageName) and the
/// message is the kubelet's too. It derives from InvalidOperationException, the failure a pod worker
/// already reports on the container rather than letting it escape the sync loop.
/// </summary>
public sealed class ImagePullException : InvalidOperationException
{
    public const string ErrImagePull = "ErrImagePull";
    public const string ImagePullBackOff = "ImagePullBackOff";
    public const string ErrImageNeverPull = "ErrImageNeverPull";
    public const string InvalidImageName = "InvalidImageName";

    public ImagePullException()
        : this(ErrImagePull, "image pull failed")
    {
    }

    public ImagePullException(string message)
        : this(ErrImagePull, message)
    {
    }

    public ImagePullException(string message, Exception innerException)
        : base(message, innerException) => Reason = ErrImagePull;

    public ImagePullException(string reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>The container's waiting reason.</summary>
    public string Reason { get; }
}
