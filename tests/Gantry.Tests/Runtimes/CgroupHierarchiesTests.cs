using Gantry.Agent.Cgroups;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class CgroupHierarchiesTests
{
    private const string Hybrid = """
        22 1 0:21 / /sys rw,relatime - sysfs sysfs rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
        34 31 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        35 31 0:32 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        38 31 0:35 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd,release_agent=/x
        39 31 0:36 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string PureV2 = """
        25 22 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    [Fact]
    public void On_a_hybrid_machine_controllers_bound_to_v1_are_reached_through_v1()
    {
        var hierarchies = CgroupHierarchies.Parse(Hybrid, _ => "hugetlb\n");

        Assert.Equal(CgroupVersion.V1, hierarchies.VersionOf("memory"));
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", hierarchies.MountOf("cpu"));
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", hierarchies.MountOf("cpuacct"));
        Assert.Equal("/sys/fs/cgroup/unified", hierarchies.UnifiedMount);
        Assert.Equal("/sys/fs/cgroup/systemd", hierarchies.V1Mounts["name=systemd"]);
        Assert.Null(hierarchies.VersionOf("io"));
        Assert.Equal(
            ["/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"],
            hierarchies.AllMounts);
    }

    [Fact]
    public void On_a_pure_v2_machine_the_controllers_offered_at_the_root_are_reached_through_v2()
    {
        string? asked = null;
        var hierarchies = CgroupHierarchies.Parse(PureV2, path => { asked = path; return "cpuset cpu io memory pids\n"; });

        Assert.Equal("/sys/fs/cgroup/cgroup.controllers", asked);
        Assert.Equal(CgroupVersion.V2, hierarchies.VersionOf("memory"));
        Assert.Equal("/sys/fs/cgroup", hierarchies.MountOf("pids"));
        Assert.Null(hierarchies.VersionOf("freezer"));
        Assert.Empty(hierarchies.V1Mounts);
    }

    [Fact]
    public void The_unified_hierarchys_own_options_are_kept_without_rw()
    {
        Assert.Equal(["nsdelegate", "memory_recursiveprot"], CgroupHierarchies.Parse(PureV2, _ => null).UnifiedOptions);
        Assert.Empty(CgroupHierarchies.Parse(Hybrid, _ => null).UnifiedOptions);
    }

    [Fact]
    public void Favoring_dynamic_modifications_gives_the_hierarchys_options_again_with_favordynmods_once()
    {
        Assert.Equal(
            ["nsdelegate", "memory_recursiveprot", "favordynmods"],
            CgroupDynamicModifications.OptionsWithFavor(["nsdelegate", "memory_recursiveprot"]));
        Assert.Equal(["nsdelegate", "favordynmods"], CgroupDynamicModifications.OptionsWithFavor(["favordynmods", "nsdelegate"]));
    }

    [Fact]
    public void A_hierarchy_that_favors_dynamic_modifications_already_is_left_alone()
    {
        var favored = CgroupHierarchies.Parse(PureV2.Replace("memory_recursiveprot", "favordynmods", StringComparison.Ordinal), _ => null);

        Assert.Null(CgroupDynamicModifications.Favor(favored));
    }

    [Fact]
    public void Escaped_characters_in_mount_points_are_decoded()
    {
        var hierarchies = CgroupHierarchies.Parse("40 31 0:37 / /mnt/my\\040cgroups rw - cgroup cgroup rw,pids", _ => null);

        Assert.Equal("/mnt/my cgroups", hierarchies.MountOf("pids"));
    }

    [Fact]
    public void A_container_cgroup_lives_in_every_hierarchy_gantry_uses_and_counts_oom_kills_in_the_memory_one()
    {
        var manager = new CgroupManager(CgroupHierarchies.Parse(Hybrid, _ => "hugetlb\n"));

        var cgroup = manager.Open(manager.ContainerPath("pod-uid", "c1"));

        Assert.Equal("gantry/pods/pod-uid/c1", cgroup.RelativePath);
        Assert.Equal(
            ["/sys/fs/cgroup/cpu,cpuacct/gantry/pods/pod-uid/c1/cgroup.procs", "/sys/fs/cgroup/memory/gantry/pods/pod-uid/c1/cgroup.procs",
             "/sys/fs/cgroup/pids/gantry/pods/pod-uid/c1/cgroup.procs", "/sys/fs/cgroup/unified/gantry/pods/pod-uid/c1/cgroup.procs"],
            cgroup.MembershipFiles);
        Assert.Equal("/sys/fs/cgroup/memory/gantry/pods/pod-uid/c1/memory.oom_control", cgroup.OomEventsFile);
    }

    [Fact]
    public void Names_that_would_escape_the_pods_cgroup_are_refused()
    {
        var manager = new CgroupManager(CgroupHierarchies.Parse(Hybrid, _ => null));

        Assert.Throws<ArgumentException>(() => manager.PodPath("../etc"));
        Assert.Throws<ArgumentException>(() => manager.ContainerPath("uid", ".."));
    }
}
