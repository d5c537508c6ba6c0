namespace Gantry.Agent.Runtimes;

/// <summary>
/// Names one container instance a runtime started. It is all the caller needs to keep: everything
/// else lives in the runtime's checkpoint directory and survives an agent restart.
/// </summary>
/// <param name="Id">Unique on the node for the container's lifetime (also its runc ID).</param>
/// <param name="Runtime">The <see cref="IContainerRuntime.Name"/> of the runtime that owns it.</param>
public sealed record ContainerHandle(
    string Id,
    string Runtime,
    string PodUid,
    string PodName,
    string PodNamespace,
    string ContainerName,
    DateTimeOffset CreatedAt)
{
    /// <summary>
    /// The image it runs, as containerd names it in a container's <c>imageID</c>: the repository digest it was pulled
    /// by (<c>registry/repo@sha256:…</c>), or the image's own id (<c>sha256:…</c>) for one imported here; null without an image.
    /// </summary>
    public string? ImageRef { get; init; }

    /// <summary>
    /// The image it runs, as containerd names it in a container's <c>image</c>: a normalized tag of the image
    /// (<c>docker.io/library/busybox:latest</c>); null without an image.
    /// </summary>
    public string? Image { get; init; }
}
