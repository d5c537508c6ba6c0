using Gantry.Agent.Images;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A volume given to the pod's <c>fsGroup</c>, as kubelet's SetVolumeOwnership gives it (pkg/volume/volume_linux.go):
/// everything below the volume, and the volume itself, joins the group, its owner kept; everything but a link gains
/// the group's read and write bits, or only read for the volumes kubelet counts read-only (configMap, secret,
/// downwardAPI, projected); a directory also gains the group's search bit and set-group-ID, so that what a container
/// creates in it later joins the group too. Links are not chmod'ed: chmod would reach the file they point to and
/// undo its defaultMode. The pod's <c>fsGroupChangePolicy</c> plays a part only for a local PersistentVolume
/// (<see cref="ApplyUnlessRootMatches"/>): kubelet passes none for the other volume types (the API documents it as
/// having no effect on secret, configMap and emptyDir volumes).
/// </summary>
internal sealed class VolumeOwnership(long group, bool readOnly)
{
    private const UnixFileMode ReadWrite = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Read = UnixFileMode.GroupRead | UnixFileMode.UserRead;
    private const UnixFileMode SearchAndSetGroup = UnixFileMode.SetGroup | UnixFileMode.GroupExecute | UnixFileMode.UserExecute;

    private static readonly EnumerationOptions Everything = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    /// <summary>The ownership the pod's fsGroup asks for, or null when it sets none (nothing is changed).</summary>
    public static VolumeOwnership? Of(V1Pod pod, bool readOnly) =>
        pod.Spec.SecurityContext?.FsGroup is { } group ? new VolumeOwnership(group, readOnly) : null;

    /// <summary>The mode a file of <paramref name="mode"/> has once <see cref="Apply"/> has passed over it.</summary>
    public UnixFileMode ModeAfter(UnixFileMode mode) => mode | (readOnly ? Read : ReadWrite);

    /// <summary>Walks the volume at <paramref name="root"/>, deepest entries first and the root last, as kubelet's walkDeep does.</summary>
    /// <exception cref="VolumeSetupException">
    /// An entry could not be read, chown'ed or chmod'ed. Kubelet only logs a failed chown or chmod and goes on; failing
    /// the setup instead puts the reason in a FailedMount event, where the pod's owner sees it.
    /// </exception>
    public void Apply(string volume, string root)
    {
        try
        {
            Walk(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VolumeSetupException(volume, $"applying fsGroup {group}: {ex.Message}");
        }
    }

    /// <summary>
    /// <see cref="Apply"/>, but with the pod's fsGroupChangePolicy OnRootMismatch not when the volume's root already
    /// has what it would be given (kube's requiresPermissionChange): the group, the owner's and group's read and write
    /// bits (read for a read-only volume) and search bits, and set-group-ID. The rest of the volume is not looked at.
    /// </summary>
    /// <exception cref="VolumeSetupException">As <see cref="Apply"/>.</exception>
    public void ApplyUnlessRootMatches(string volume, string root, string? changePolicy)
    {
        if (changePolicy == "OnRootMismatch")
        {
            var status = ImageSyscalls.Stat(root);
            var wanted = (readOnly ? Read : ReadWrite) | (status.Type == ImageSyscalls.DirectoryType ? UnixFileMode.GroupExecute | UnixFileMode.UserExecute : 0);
            if (status.Gid == group && (status.Mode & wanted) == wanted && status.Mode.HasFlag(UnixFileMode.SetGroup))
            {
                return;
            }
        }

        Apply(volume, root);
    }

    private void Walk(string path)
    {
        var status = ImageSyscalls.Stat(path);
        if (status.Type == ImageSyscalls.DirectoryType)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", Everything))
            {
                Walk(entry);
            }
        }

        ImageSyscalls.ChangeOwner(path, -1, checked((int)group));
        if (status.Type != ImageSyscalls.SymlinkType)
        {
            // The mode read before the chown: a chown clears a file's set-user-ID and set-group-ID bits.
            var mode = ModeAfter(status.Mode) | (status.Type == ImageSyscalls.DirectoryType ? SearchAndSetGroup : 0);
            File.SetUnixFileMode(path, mode);
        }
    }
}
