using System.Globalization;

namespace Gantry.Agent.Cgroups;

/// <summary>
/// One cgroup path (e.g. gantry/pods/&lt;uid&gt;/&lt;container&gt;) across every hierarchy that has it.
/// Obtained from <see cref="CgroupManager"/>; holds no handles, so it may be recreated at will.
/// </summary>
public sealed class Cgroup
{
    private readonly CgroupHierarchies _hierarchies;
    private readonly TimeProvider _time;

    internal Cgroup(CgroupHierarchies hierarchies, string relativePath, TimeProvider time)
    {
        _hierarchies = hierarchies;
        _time = time;
        RelativePath = relativePath;
    }

    /// <summary>The path below every hierarchy's root, without a leading slash.</summary>
    public string RelativePath { get; }

    /// <summary>The directories Gantry creates and moves processes into: the v1 hierarchies of the
    /// controllers it uses plus the unified hierarchy (whose cgroup.kill reaches every process).</summary>
    public IReadOnlyList<string> Directories =>
        CgroupManager.ManagedV1Controllers
            .Select(c => _hierarchies.V1Mounts.GetValueOrDefault(c))
            .Concat([_hierarchies.UnifiedMount])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(mount => Path.Combine(mount, RelativePath))
            .ToList();

    /// <summary>The cgroup.procs files a process writes its own PID into to join this cgroup.</summary>
    public IReadOnlyList<string> MembershipFiles => Directories.Select(d => Path.Combine(d, "cgroup.procs")).ToList();

    /// <summary>The file whose "oom_kill N" line counts OOM kills here, or null without a memory controller.</summary>
    public string? OomEventsFile => _hierarchies.VersionOf("memory") switch
    {
        CgroupVersion.V1 => Path.Combine(_hierarchies.V1Mounts["memory"], RelativePath, "memory.oom_control"),
        CgroupVersion.V2 => Path.Combine(_hierarchies.UnifiedMount!, RelativePath, "memory.events"),
        _ => null,
    };

    /// <summary>The directory of <paramref name="controller"/>'s hierarchy, or null when not mounted.</summary>
    public string? DirectoryOf(string controller) =>
        _hierarchies.MountOf(controller) is { } mount ? Path.Combine(mount, RelativePath) : null;

    public long ReadOomKills() => OomEventsFile is { } file ? OomKillCount.Parse(ControlFile.ReadOrNull(file)) : 0;

    /// <summary>The processes in this cgroup (not its children), from the first hierarchy that has it.</summary>
    public IReadOnlyList<int> ProcessIds()
    {
        foreach (var directory in Directories)
        {
            if (ControlFile.ReadOrNull(Path.Combine(directory, "cgroup.procs")) is { } text)
            {
                return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))
                    .ToList();
            }
        }

        return [];
    }

    /// <summary>
    /// SIGKILLs every process in this cgroup and its children and waits until they are gone.
    /// cgroup.kill does it atomically where the kernel has it (5.14+, also on a hybrid machine's
    /// unified mount); otherwise sweeps cgroup.procs until a sweep finds nobody, which terminates
    /// because a pids limit bounds how fast a fork bomb can refill it.
    /// </summary>
    public async Task KillAllAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(10);
        var unified = _hierarchies.UnifiedMount is { } mount ? Path.Combine(mount, RelativePath) : null;
        var killFile = unified is null ? null : Path.Combine(unified, "cgroup.kill");
        while (true)
        {
            var remaining = Subtree().SelectMany(c => c.ProcessIds()).Distinct().ToList();
            if (remaining.Count == 0)
            {
                return;
            }

            if (killFile is not null && File.Exists(killFile))
            {
                ControlFile.Write(killFile, "1");
            }

            foreach (var pid in remaining)
            {
                ProcessSignals.Send(pid, ProcessSignals.SigKill);
            }

            if (_time.GetUtcNow() > deadline)
            {
                throw new IOException($"processes {string.Join(' ', remaining)} in cgroup {RelativePath} survived SIGKILL for 10 s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken);
        }
    }

    /// <summary>
    /// Removes this cgroup and everything below it from every hierarchy, including those only runc
    /// created directories in (cpuset, devices, ...). Processes must be gone; see <see cref="KillAllAsync"/>.
    /// </summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        foreach (var mount in _hierarchies.AllMounts)
        {
            var directory = Path.Combine(mount, RelativePath);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    RemoveTree(directory);
                    break;
                }
                catch (IOException) when (attempt < 50)
                {
                    // rmdir answers EBUSY for a moment after the last process exits, while the
                    // kernel finishes tearing it down.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken);
                }
            }
        }
    }

    private IEnumerable<Cgroup> Subtree()
    {
        yield return this;
        var root = Directories.FirstOrDefault(Directory.Exists);
        if (root is null)
        {
            yield break;
        }

        foreach (var child in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
        {
            yield return new Cgroup(_hierarchies, Path.Combine(RelativePath, Path.GetRelativePath(root, child)), _time);
        }
    }

    private static void RemoveTree(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveTree(child);
        }

        // cgroupfs directories are removed with rmdir alone; their control files go with them.
        Directory.Delete(directory, recursive: false);
    }
}
