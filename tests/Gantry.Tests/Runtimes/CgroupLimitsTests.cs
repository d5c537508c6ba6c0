using Gantry.Agent.Cgroups;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class CgroupLimitsTests
{
    [Fact]
    public void A_pods_requests_add_up_and_its_limits_too_when_every_container_has_one()
    {
        var pod = CgroupLimits.ForPod([new(100, 200, 64 << 20, 10), new(250, 500, 32 << 20, 20)]);

        Assert.Equal(new CgroupLimits(350, 700, 96 << 20, 30), pod);
    }

    [Fact]
    public void One_unlimited_container_leaves_the_pod_unlimited_in_that_resource()
    {
        var pod = CgroupLimits.ForPod([new(100, 200, 64 << 20, 10), new(CpuRequestMillicores: null, CpuLimitMillicores: 500)]);

        Assert.Equal(new CgroupLimits(100, 700, null, null), pod);
    }
}
