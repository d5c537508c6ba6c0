using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerUserTests
{
    private static readonly PodSandboxInfo Pod = new() { Uid = "u-1", Name = "web-1", Namespace = "shop" };

    private static string Resolve(ContainerUser user, string? imageUser = null)
    {
        var resolved = user.Resolve(imageUser, Pod, "app");
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

    [Fact]
    public void A_named_image_user_still_runs_as_root_without_the_images_passwd_file()
    {
        Assert.Equal("0:0 0", Resolve(ContainerUser.Unspecified, "nginx"));
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

        Assert.Equal(message, Assert.Throws<ContainerConfigException>(() => user.Resolve(imageUser, Pod, "app")).Message);
    }
}
