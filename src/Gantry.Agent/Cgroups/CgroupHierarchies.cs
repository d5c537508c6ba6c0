namespace Gantry.Agent.Cgroups;

/// <summary>
/// Where each cgroup controller lives on this machine. Pure cgroup v2 machines have one unified
/// hierarchy; legacy machines one v1 hierarchy per controller; "hybrid" machines both, with the
/// controllers bound to v1 and an empty unified mount. A controller is reached through v1 when a v1
/// hierarchy carries it, otherwise through v2 when the unified hierarchy offers it.
/// </summary>
public sealed class CgroupHierarchies
{
    private readonly Dictionary<string, string> _v1;

    private CgroupHierarchies(
        Dictionary<string, string> v1, string? unifiedMount, IReadOnlyList<string> unifiedOptions, IReadOnlySet<string> unifiedControllers)
    {
        _v1 = v1;
        UnifiedMount = unifiedMount;
        UnifiedOptions = unifiedOptions;
        UnifiedControllers = unifiedControllers;
    }

    /// <summary>Controller name (or "name=systemd" for named hierarchies) to its v1 mount point.</summary>
    public IReadOnlyDictionary<string, string> V1Mounts => _v1;

    /// <summary>The cgroup2 mount point, or <c>null</c> on a pure v1 machine.</summary>
    public string? UnifiedMount { get; }

    /// <summary>The unified hierarchy's superblock options (<c>nsdelegate</c>, <c>favordynmods</c>…), without <c>rw</c>/<c>ro</c>.</summary>
    public IReadOnlyList<string> UnifiedOptions { get; }

    /// <summary>The controllers the unified hierarchy offers (its root cgroup.controllers).</summary>
    public IReadOnlySet<string> UnifiedControllers { get; }

    /// <summary>Every mounted hierarchy, each once: where a cgroup path has a directory to create or remove.</summary>
    public IReadOnlyList<string> AllMounts =>
        _v1.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Concat(UnifiedMount is null ? [] : [UnifiedMount])
            .ToList();

    public CgroupVersion? VersionOf(string controller)
    {
        if (_v1.ContainsKey(controller))
        {
            return CgroupVersion.V1;
        }

        return UnifiedMount is not null && UnifiedControllers.Contains(controller) ? CgroupVersion.V2 : null;
    }

    /// <summary>The mount point of the hierarchy that carries <paramref name="controller"/>, if any.</summary>
    public string? MountOf(string controller) => VersionOf(controller) switch
    {
        CgroupVersion.V1 => _v1[controller],
        CgroupVersion.V2 => UnifiedMount,
        _ => null,
    };

    /// <summary>Reads this process's mount table and the unified hierarchy's controller list.</summary>
    public static CgroupHierarchies Detect() =>
        Parse(File.ReadAllText("/proc/self/mountinfo"), path => File.Exists(path) ? File.ReadAllText(path) : null);

    /// <summary>
    /// Builds the picture from /proc/self/mountinfo text; <paramref name="readFile"/> reads the
    /// unified root's cgroup.controllers (null when absent).
    /// </summary>
    public static CgroupHierarchies Parse(string mountInfo, Func<string, string?> readFile)
    {
        ArgumentNullException.ThrowIfNull(mountInfo);
        ArgumentNullException.ThrowIfNull(readFile);
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        string? unified = null;
        IReadOnlyList<string> unifiedOptions = [];
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 98:0 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory": the fields
            // after the lone "-" are the filesystem type, the source and the superblock options.
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (separator < 5 || separator + 3 >= fields.Length)
            {
                continue;
            }

            var mountPoint = MountInfo.Unescape(fields[4]);
            switch (fields[separator + 1])
            {
                case "cgroup2" when unified is null:
                    unified = mountPoint;
                    unifiedOptions = fields[separator + 3].Split(',')
                        .Where(option => option is not ("rw" or "ro" or ""))
                        .ToList();
                    break;
                case "cgroup":
                    foreach (var option in fields[separator + 3].Split(','))
                    {
                        if (option is not ("rw" or "ro" or "" or "clone_children" or "noprefix" or "xattr") &&
                            !option.StartsWith("release_agent=", StringComparison.Ordinal))
                        {
                            v1.TryAdd(option, mountPoint);
                        }
                    }

                    break;
            }
        }

        var controllers = unified is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : (readFile(Path.Combine(unified, "cgroup.controllers")) ?? string.Empty)
                .Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .ToHashSet(StringComparer.Ordinal);
        return new CgroupHierarchies(v1, unified, unifiedOptions, controllers);
    }
}
