namespace Gantry.Agent.Images;

/// <summary>How a container's root filesystem is assembled from its image's layers.</summary>
public enum RootfsMode
{
    /// <summary>overlayfs when the kernel mounts it, a copy otherwise.</summary>
    Auto,

    /// <summary>An overlayfs mount: the layers read-only below, a per-container upper directory.</summary>
    Overlay,

    /// <summary>A private copy of every layer, for kernels or filesystems without overlayfs.</summary>
    Copy,
}
