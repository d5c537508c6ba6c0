namespace Gantry.Agent.Cgroups;

/// <summary>
/// Creates, opens and names the cgroups of pods and their containers under one root
/// (by default gantry/pods/&lt;pod-uid&gt;[/&lt;container-id&gt;]) on whatever mix of v1 and v2 the
/// machine has.
/// </summary>
public sealed class CgroupManager
{
    /// <summary>The v1 controllers Gantry places its own processes under. cpuset, devices and the rest
    /// are left to runc, which initialises them for its containers.</summary>
    internal static readonly string[] ManagedV1Controllers = ["cpu", "cpuacct", "memory", "pids", "freezer"];

    private static readonly string[] V2Controllers = ["cpu", "memory", "pids"];

    private readonly TimeProvider _time;

    public CgroupManager(CgroupHierarchies hierarchies, string root = "gantry/pods", TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hierarchies);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Hierarchies = hierarchies;
        Root = root.Trim('/');
        _time = time ?? TimeProvider.System;
    }

    public CgroupHierarchies Hierarchies { get; }

    /// <summary>The path every pod cgroup lives under, relative to each hierarchy's root.</summary>
    public string Root { get; }

    public string PodPath(string podUid) => $"{Root}/{CheckName(podUid)}";

    public string ContainerPath(string podUid, string containerId) => $"{PodPath(podUid)}/{CheckName(containerId)}";

    public Cgroup Open(string relativePath) => new(Hierarchies, relativePath.Trim('/'), _time);

    /// <summary>
    /// Creates the cgroup (and missing parents) and writes <paramref name="limits"/> into it. Also
    /// updates an existing cgroup's limits. Throws when the kernel refuses a value, so nothing ever
    /// runs under limits other than those asked for.
    /// </summary>
    public Cgroup CreateOrUpdate(string relativePath, CgroupLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var cgroup = Open(relativePath);
        foreach (var directory in cgroup.Directories)
        {
            Directory.CreateDirectory(directory);
        }

        EnableV2Controllers(cgroup.RelativePath);
        foreach (var write in CgroupWritePlan.For(limits, Hierarchies.VersionOf))
        {
            var file = Path.Combine(cgroup.DirectoryOf(write.Controller)!, write.File);
            if (write.Optional && !File.Exists(file))
            {
                continue;
            }

            ControlFile.Write(file, write.Value);
        }

        return cgroup;
    }

    /// <summary>
    /// On v2 a controller's files appear in a cgroup only when every ancestor delegates it through
    /// cgroup.subtree_control.
    /// </summary>
    private void EnableV2Controllers(string relativePath)
    {
        if (Hierarchies.UnifiedMount is not { } unified)
        {
            return;
        }

        var controllers = V2Controllers.Where(c => Hierarchies.VersionOf(c) == CgroupVersion.V2).ToList();
        if (controllers.Count == 0)
        {
            return;
        }

        var directory = unified;
        foreach (var segment in relativePath.Split('/'))
        {
            var subtree = Path.Combine(directory, "cgroup.subtree_control");
            var enabled = (ControlFile.ReadOrNull(subtree) ?? string.Empty).Split(' ', '\n');
            foreach (var controller in controllers.Where(c => !enabled.Contains(c)))
            {
                ControlFile.Write(subtree, "+" + controller);
            }

            directory = Path.Combine(directory, segment);
        }
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.Contains('/', StringComparison.Ordinal) || name is "." or ".."
            ? throw new ArgumentException($"'{name}' is not a valid cgroup name", nameof(name))
            : name;
    }
}
