namespace Gantry.Agent.Cgroups;

/// <summary>Which cgroup interface a controller is reached through on this machine.</summary>
public enum CgroupVersion
{
    /// <summary>A legacy hierarchy mounted for this controller (e.g. /sys/fs/cgroup/memory).</summary>
    V1,

    /// <summary>The unified hierarchy, with the controller listed in its cgroup.controllers.</summary>
    V2,
}
