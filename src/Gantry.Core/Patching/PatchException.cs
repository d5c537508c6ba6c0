namespace Gantry.Core.Patching;

/// <summary>
/// A patch that cannot be applied to its target. The message follows the wording of the
/// libraries the Kubernetes API server uses (evanphx/json-patch, apimachinery's strategicpatch),
/// so clients that match on it keep working.
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException()
    {
    }

    public PatchException(string message)
        : base(message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
