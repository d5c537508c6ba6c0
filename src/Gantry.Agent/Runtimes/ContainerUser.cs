using System.Globalization;
using Gantry.Agent.Pods;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Who a container asks to run as: its effective securityContext, the container's runAsUser, runAsGroup and runAsNonRoot
/// over the pod's, with the pod's fsGroup then supplementalGroups as extra groups (kubelet's order). Nothing set runs
/// as the image's user, as containerd does.
/// </summary>
public sealed record ContainerUser
{
    public static readonly ContainerUser Unspecified = new();

    public long? RunAsUser { get; init; }

    public long? RunAsGroup { get; init; }

    /// <summary>fsGroup (when set) followed by supplementalGroups.</summary>
    public IReadOnlyList<long> SupplementalGroups { get; init; } = [];

    public bool RunAsNonRoot { get; init; }

    /// <summary>Whether the spec says anything about the user: without it a process pod keeps the agent's.</summary>
    public bool IsSpecified => RunAsUser is not null || RunAsGroup is not null || SupplementalGroups.Count > 0;

    /// <summary>
    /// The user the process runs as, given the image's <c>User</c> ("uid", "uid:gid", or a name, which needs the image's
    /// /etc/passwd and is run as root, as before); the primary group is the first extra group, as containerd makes it.
    /// A gid not given is 0 (containerd would look the uid up in the image's /etc/passwd).
    /// </summary>
    /// <exception cref="ContainerConfigException">runAsNonRoot and the process would run as root, or the image's user is a name
    /// (kubelet's verifyRunAsNonRoot, with its messages).</exception>
    public ProcessUser Resolve(string? imageUser, PodSandboxInfo pod, string containerName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var (imageUid, imageGid, imageName) = ParseImageUser(imageUser);
        VerifyRunAsNonRoot(imageUid, imageName, pod, containerName);
        var uid = RunAsUser ?? imageUid ?? 0;
        var gid = RunAsGroup ?? (RunAsUser is null ? imageGid : null) ?? 0;
        return new ProcessUser(uid, gid, [.. new[] { gid }.Concat(SupplementalGroups).Distinct()]);
    }

    private void VerifyRunAsNonRoot(long? imageUid, string? imageName, PodSandboxInfo pod, string containerName)
    {
        if (!RunAsNonRoot)
        {
            return;
        }

        // kubelet's format.Pod, quoted as Go's %q quotes it.
        var where = $"(pod: \"{pod.Name}_{pod.Namespace}({pod.Uid})\", container: {containerName})";
        if (RunAsUser is { } uid)
        {
            if (uid == 0)
            {
                throw new ContainerConfigException($"container's runAsUser breaks non-root policy {where}");
            }

            return;
        }

        if (imageUid is null && imageName is not null)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image has non-numeric user ({imageName}), cannot verify user is non-root {where}");
        }

        if ((imageUid ?? 0) == 0)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image will run as root {where}");
        }
    }

    /// <summary>The image config's User: "user[:group]", each a number or a name; empty is root.</summary>
    private static (long? Uid, long? Gid, string? Name) ParseImageUser(string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return (null, null, null);
        }

        var colon = user.IndexOf(':', StringComparison.Ordinal);
        var (name, group) = colon < 0 ? (user, null) : (user[..colon], user[(colon + 1)..]);
        return (Number(name), group is null ? null : Number(group), Number(name) is null ? name : null);
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
