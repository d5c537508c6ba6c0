namespace Gantry.Agent.Images;

/// <summary>
/// Assembles a container's root filesystem at &lt;bundle&gt;/rootfs from an image's layers: an
/// overlayfs mount (upper and work directories beside it, so the container's writes stay its own)
/// or, where overlayfs is unavailable, a copy with the layers' whiteouts applied by hand.
/// </summary>
public sealed class RootfsBuilder(ImageStore images)
{
    /// <summary>The kernel refuses mount options longer than a page; that bounds the layer count.</summary>
    private const int MaxMountOptionsLength = 4000;

    /// <summary>Builds the root filesystem and returns its path and the mode actually used.</summary>
    public async Task<(string Path, RootfsMode Mode)> PrepareAsync(ImageRecord image, string bundle, RootfsMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Layers.Count == 0)
        {
            throw new InvalidDataException($"image {image.Id} has no layers");
        }

        var rootfs = Path.Combine(bundle, "rootfs");
        Directory.CreateDirectory(rootfs);
        if (mode != RootfsMode.Copy)
        {
            try
            {
                MountOverlay(image, bundle, rootfs);
                return (rootfs, RootfsMode.Overlay);
            }
            catch (IOException) when (mode == RootfsMode.Auto)
            {
                // Fall through to copying: slower and bigger, but it works on any filesystem.
            }
        }

        await Task.Run(() => new RootfsCopier(images).Copy(image, rootfs), cancellationToken);
        return (rootfs, RootfsMode.Copy);
    }

    /// <summary>Unmounts (if mounted) and deletes the root filesystem and the container's writes.</summary>
    public static void Release(string bundle)
    {
        var rootfs = Path.Combine(bundle, "rootfs");
        ImageSyscalls.Unmount(rootfs);
        foreach (var directory in new[] { rootfs, Path.Combine(bundle, "upper"), Path.Combine(bundle, "work") })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private void MountOverlay(ImageRecord image, string bundle, string rootfs)
    {
        var upper = Path.Combine(bundle, "upper");
        var work = Path.Combine(bundle, "work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);

        // overlayfs lists lower directories topmost first; images list layers bottom first.
        var lower = string.Join(':', image.Layers.Reverse().Select(images.LayerDirectory));
        var options = $"lowerdir={lower},upperdir={upper},workdir={work}";
        if (options.Length > MaxMountOptionsLength)
        {
            throw new IOException($"image {image.Id} has too many layers ({image.Layers.Count}) for one overlay mount");
        }

        ImageSyscalls.Mount("overlay", rootfs, options);
    }
}
