namespace Gantry.Agent.Runtimes;

/// <summary>
/// What the agent writes (atomically, before launching anything) about a container so that any
/// later agent can find, stop, exec into and clean up after it.
/// </summary>
/// <param name="Handle">The container's identity.</param>
/// <param name="CgroupPath">Its cgroup, relative to each hierarchy's root.</param>
/// <param name="LogPath">Its log file.</param>
/// <param name="ImageId">The image it runs from (oci), whose lease <see cref="IContainerRuntime.RemoveAsync"/> releases.</param>
internal sealed record ContainerCheckpoint(ContainerHandle Handle, string CgroupPath, string LogPath, string? ImageId);
