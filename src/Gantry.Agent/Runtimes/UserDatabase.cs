using System.Globalization;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// An image's /etc/passwd and /etc/group, which containerd reads to turn a user into ids: a name into its uid and
/// gid, a bare uid into its passwd gid (0 when it has no entry), a group name into its gid, and a user into the
/// groups that list it as a member (its additional gids).
/// </summary>
public sealed record UserDatabase(IReadOnlyList<UserDatabase.User> Users, IReadOnlyList<UserDatabase.Group> Groups)
{
    public static readonly UserDatabase Empty = new([], []);

    public sealed record User(string Name, long Uid, long Gid);

    public sealed record Group(string Name, long Gid, IReadOnlyList<string> Members);

    /// <summary>
    /// The files under a root filesystem; absent or symbolic links (which would resolve against the host's root, not
    /// the image's) read as empty.
    /// </summary>
    public static UserDatabase ReadFrom(string rootfs)
    {
        var etc = new DirectoryInfo(Path.Combine(rootfs, "etc"));
        if (!etc.Exists || etc.LinkTarget is not null)
        {
            return Empty;
        }

        return Parse(ReadPlainFile(Path.Combine(etc.FullName, "passwd")), ReadPlainFile(Path.Combine(etc.FullName, "group")));
    }

    /// <summary>Lines of <c>name:password:uid:gid:…</c> and <c>name:password:gid:member,member</c>; malformed lines are skipped, as libc does.</summary>
    public static UserDatabase Parse(string passwd, string group)
    {
        ArgumentNullException.ThrowIfNull(passwd);
        ArgumentNullException.ThrowIfNull(group);
        var users = new List<User>();
        foreach (var fields in Entries(passwd))
        {
            if (fields is [var name, _, var uid, var gid, ..] && Id(uid) is { } u && Id(gid) is { } g)
            {
                users.Add(new User(name, u, g));
            }
        }

        var groups = new List<Group>();
        foreach (var fields in Entries(group))
        {
            if (fields is [var name, _, var gid, ..] && Id(gid) is { } g)
            {
                var members = fields.Length > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
                groups.Add(new Group(name, g, members));
            }
        }

        return new UserDatabase(users, groups);
    }

    public User? UserNamed(string name) => Users.FirstOrDefault(u => u.Name == name);

    public User? UserWithUid(long uid) => Users.FirstOrDefault(u => u.Uid == uid);

    public Group? GroupNamed(string name) => Groups.FirstOrDefault(g => g.Name == name);

    /// <summary>The gids of the groups that list <paramref name="user"/> as a member, in file order, but the user's own
    /// group (the one of its name), as containerd leaves it out.</summary>
    public IEnumerable<long> GroupsOf(string user) => Groups.Where(g => g.Name != user && g.Members.Contains(user)).Select(g => g.Gid);

    private static string ReadPlainFile(string path)
    {
        var file = new FileInfo(path);
        return file.Exists && file.LinkTarget is null ? File.ReadAllText(path) : "";
    }

    private static IEnumerable<string[]> Entries(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(':'));

    private static long? Id(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
