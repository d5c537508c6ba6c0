using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerUserTests
{
    private static readonly PodSandboxInfo Pod = new() { Uid = "u-1", Name = "web-1", Namespace = "shop" };

    private static string Resolve(ContainerUser user, string? imageUser = null, UserDatabase? users = null)
    {
        var resolved = user.Resolve(imageUser, users ?? UserDatabase.Empty, Pod, "app");
        return $"{resolved.Uid}:{resolved.Gid} {string.Join(',', resolved.AdditionalGids)}";
    }

    [Fact]
    public void Nothing_set_runs_as_the_images_user_or_root()
    {
        Assert.Equal("0:0 0", Resolve(ContainerUser.Unspecified));
        Assert.Equal("65532:65532 65532", Resolve(ContainerUser.Unspecified, "65532:65532"));
    }

    [Fact]
    public void RunAsUser_overrides_the_images_user_and_without_runAsGroup_the_group_is_root()
    {
        Assert.Equal("1000:0 0", Resolve(new ContainerUser { RunAsUser = 1000 }, "65532:65532"));
    }

    [Fact]
    public void RunAsGroup_alone_changes_only_the_group_of_the_images_user()
    {
        Assert.Equal("65532:3000 3000", Resolve(new ContainerUser { RunAsGroup = 3000 }, "65532:65532"));
    }

    [Fact]
    public void Extra_groups_follow_the_primary_group_once_each()
    {
        Assert.Equal("1000:2000 2000,4000", Resolve(new ContainerUser { RunAsUser = 1000, RunAsGroup = 2000, SupplementalGroups = [2000, 4000] }));
    }

    private static readonly UserDatabase Alpine = UserDatabase.Parse(
        "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\nnginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n",
        "root:x:0:root\nbin:x:1:root,bin\nwheel:x:10:root\nnginx:x:101:nginx\nwww-data:x:82:nginx\n");

    [Fact]
    public void A_named_image_user_is_looked_up_in_the_images_passwd_and_its_groups_in_group()
    {
        Assert.Equal("101:101 101,82", Resolve(ContainerUser.Unspecified, "nginx", Alpine));
        Assert.Equal("101:82 82", Resolve(ContainerUser.Unspecified, "nginx:www-data", Alpine));
    }

    [Fact]
    public void A_bare_uid_takes_its_passwd_group_and_root_gets_the_groups_that_list_it()
    {
        Assert.Equal("101:101 101,82", Resolve(new ContainerUser { RunAsUser = 101 }, users: Alpine));
        Assert.Equal("0:0 0,1,10", Resolve(ContainerUser.Unspecified, users: Alpine));
    }

    [Fact]
    public void An_image_user_or_group_the_image_does_not_define_cannot_run()
    {
        Assert.Equal("unable to find user nginx: no matching entries in passwd file", Assert.Throws<InvalidOperationException>(() => Resolve(ContainerUser.Unspecified, "nginx")).Message);
        Assert.Equal("unable to find group staff: no matching entries in group file", Assert.Throws<InvalidOperationException>(() => Resolve(ContainerUser.Unspecified, "1000:staff")).Message);
    }

    [Fact]
    public void RunAsNonRoot_accepts_a_non_root_runAsUser_or_image_user()
    {
        Assert.Equal("1000:0 0", Resolve(new ContainerUser { RunAsNonRoot = true, RunAsUser = 1000 }));
        Assert.Equal("1000:0 0", Resolve(new ContainerUser { RunAsNonRoot = true }, "1000"));
    }

    [Theory]
    [InlineData(null, null, "container has runAsNonRoot and image will run as root (pod: \"web-1_shop(u-1)\", container: app)")]
    [InlineData(null, "0:1000", "container has runAsNonRoot and image will run as root (pod: \"web-1_shop(u-1)\", container: app)")]
    [InlineData(0L, "1000", "container's runAsUser breaks non-root policy (pod: \"web-1_shop(u-1)\", container: app)")]
    [InlineData(null, "nginx", "container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: \"web-1_shop(u-1)\", container: app)")]
    public void RunAsNonRoot_refuses_root_or_an_unverifiable_user_with_kubelets_messages(long? runAsUser, string? imageUser, string message)
    {
        var user = new ContainerUser { RunAsNonRoot = true, RunAsUser = runAsUser };

        Assert.Equal(message, Assert.Throws<ContainerConfigException>(() => user.Resolve(imageUser, UserDatabase.Empty, Pod, "app")).Message);
    }
}
