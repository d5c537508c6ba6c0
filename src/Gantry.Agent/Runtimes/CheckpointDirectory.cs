namespace Gantry.Agent.Runtimes;

/// <summary>The checkpoint directories of one runtime: &lt;state&gt;/&lt;runtime&gt;/.</summary>
internal sealed class CheckpointDirectory
{
    public CheckpointDirectory(string stateDirectory, string runtime)
    {
        Root = Path.Combine(stateDirectory, runtime);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public ContainerDirectory Create(string id)
    {
        var directory = new ContainerDirectory(Path.Combine(Root, id));
        Directory.CreateDirectory(directory.Path);
        return directory;
    }

    public ContainerDirectory Open(ContainerHandle handle) =>
        TryOpen(handle) ?? throw new ContainerNotFoundException($"no container {handle.Id} ({handle.ContainerName} of pod {handle.PodNamespace}/{handle.PodName}) in {Root}");

    /// <summary>The container's directory, or null once it has been removed.</summary>
    public ContainerDirectory? TryOpen(ContainerHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var directory = new ContainerDirectory(Path.Combine(Root, handle.Id));
        return File.Exists(directory.CheckpointFile) ? directory : null;
    }

    public IEnumerable<ContainerDirectory> All() =>
        Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal).Select(d => new ContainerDirectory(d));
}
