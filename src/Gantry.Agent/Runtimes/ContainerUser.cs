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
    /// The user the process runs as, as containerd resolves it: the user runAsUser, else the image's <c>User</c>
    /// ("user[:group]", each a number or a name looked up in <paramref name="users"/>), else root; the group
    /// runAsGroup, else the image's when runAsUser did not replace its user, else the user's in /etc/passwd, else 0.
    /// The additional gids are the groups that list the user as a member (root's when nothing names a user) with the
    /// primary gid first unless among them, then the extra groups.
    /// </summary>
    /// <exception cref="ContainerConfigException">runAsNonRoot and the process would run as root, or the image's user is a name
    /// (kubelet's verifyRunAsNonRoot, with its messages).</exception>
    /// <exception cref="InvalidOperationException">A user or group name that the image does not define (containerd's messages).</exception>
    public ProcessUser Resolve(string? imageUser, UserDatabase users, PodSandboxInfo pod, string containerName)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(pod);
        var (imageName, imageGroup) = SplitImageUser(imageUser);
        VerifyRunAsNonRoot(imageName, pod, containerName);
        var userPart = RunAsUser is { } runAsUser ? Text(runAsUser) : imageName;
        var groupPart = RunAsGroup is { } runAsGroup ? Text(runAsGroup) : RunAsUser is null ? imageGroup : null;
        var groupGid = groupPart is null ? null : (long?)GroupId(groupPart, users);
        var (uid, gid) = userPart switch
        {
            null => (0, groupGid ?? 0),
            _ when Number(userPart) is { } number => (number, groupGid ?? users.UserWithUid(number)?.Gid ?? 0),
            _ => users.UserNamed(userPart) is { } entry
                ? (entry.Uid, groupGid ?? entry.Gid)
                : throw new InvalidOperationException($"unable to find user {userPart}: no matching entries in passwd file"),
        };
        var member = Number(userPart ?? "0") is { } numeric ? users.UserWithUid(numeric)?.Name : userPart;
        var memberOf = member is null ? [] : users.GroupsOf(member).ToList();
        var additional = memberOf.Contains(gid) ? memberOf : [gid, .. memberOf];
        return new ProcessUser(uid, gid, [.. additional.Concat(SupplementalGroups).Distinct()]);
    }

    private void VerifyRunAsNonRoot(string? imageName, PodSandboxInfo pod, string containerName)
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

        // kubelet judges by the image's config alone: a uid it can read, or a name it cannot.
        var imageUid = imageName is null ? 0 : Number(imageName);
        if (imageUid is null)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image has non-numeric user ({imageName}), cannot verify user is non-root {where}");
        }

        if (imageUid == 0)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image will run as root {where}");
        }
    }

    /// <summary>The image config's User: "user[:group]"; empty is root.</summary>
    private static (string? User, string? Group) SplitImageUser(string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return (null, null);
        }

        var colon = user.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (user, null) : (user[..colon], user[(colon + 1)..]);
    }

    private static long GroupId(string group, UserDatabase users) =>
        Number(group) ?? users.GroupNamed(group)?.Gid ?? throw new InvalidOperationException($"unable to find group {group}: no matching entries in group file");

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
