using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ContainerUsersTests
{
    private static V1Pod Pod(V1PodSecurityContext? context) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec { SecurityContext = context, Containers = [] },
    };

    [Fact]
    public void Without_a_securityContext_nothing_is_asked_for()
    {
        var user = ContainerUsers.Of(Pod(null), new V1Container { Name = "c" });

        Assert.False(user.IsSpecified);
        Assert.False(user.RunAsNonRoot);
    }

    [Fact]
    public void The_containers_settings_override_the_pods()
    {
        var pod = Pod(new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 3000, RunAsNonRoot = true });
        var container = new V1Container { Name = "c", SecurityContext = new V1SecurityContext { RunAsUser = 2000, RunAsNonRoot = false } };

        var user = ContainerUsers.Of(pod, container);

        Assert.Equal((2000L, 3000L, false), (user.RunAsUser, user.RunAsGroup, user.RunAsNonRoot));
    }

    [Fact]
    public void FsGroup_comes_before_the_supplemental_groups_as_kubelet_orders_them()
    {
        var user = ContainerUsers.Of(Pod(new V1PodSecurityContext { FsGroup = 2000, SupplementalGroups = [4000, 5000] }), new V1Container { Name = "c" });

        Assert.Equal([2000L, 4000L, 5000L], user.SupplementalGroups);
        Assert.True(user.IsSpecified);
    }
}
