using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class UserDatabaseTests
{
    [Fact]
    public void Passwd_and_group_lines_become_users_and_groups_skipping_comments_and_malformed_lines()
    {
        var users = UserDatabase.Parse("# users\nroot:x:0:0:root:/root:/bin/sh\nbroken\nweird:x:a:1::/:\napp:x:1000:1000::/home/app:/bin/sh\n", "app:x:1000:\nstaff:x:50:app, root\n");

        Assert.Equal([new UserDatabase.User("root", 0, 0), new UserDatabase.User("app", 1000, 1000)], users.Users);
        Assert.Equal(["app", "root"], users.GroupNamed("staff")!.Members);
        Assert.Empty(users.GroupNamed("app")!.Members);
    }

    [Fact]
    public void A_user_is_not_counted_a_member_of_the_group_of_its_own_name()
    {
        var users = UserDatabase.Parse("", "app:x:1000:app\nstaff:x:50:app\n");

        Assert.Equal([50L], users.GroupsOf("app"));
    }

    [Fact]
    public void A_root_filesystem_whose_etc_is_a_symbolic_link_has_no_users()
    {
        var root = Directory.CreateTempSubdirectory("gantry-rootfs-").FullName;
        try
        {
            var elsewhere = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
            File.WriteAllText(Path.Combine(elsewhere, "passwd"), "root:x:0:0::/:\n");
            var rootfs = Directory.CreateDirectory(Path.Combine(root, "rootfs")).FullName;
            Directory.CreateSymbolicLink(Path.Combine(rootfs, "etc"), elsewhere);

            Assert.Same(UserDatabase.Empty, UserDatabase.ReadFrom(rootfs));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_root_filesystem_without_etc_has_no_users() =>
        Assert.Same(UserDatabase.Empty, UserDatabase.ReadFrom("/nonexistent-rootfs"));
}
