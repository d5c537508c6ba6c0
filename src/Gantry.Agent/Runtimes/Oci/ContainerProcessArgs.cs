using Gantry.Agent.Images;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>
/// The Kubernetes rule for a container's argv: "command" replaces the image's Entrypoint, "args"
/// replaces its Cmd, and setting command alone also drops the image's Cmd.
/// </summary>
internal static class ContainerProcessArgs
{
    public static IReadOnlyList<string> Resolve(ImageConfig image, ContainerSpec container)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(container);
        var argv = container.Command.Count > 0
            ? container.Command.Concat(container.Args)
            : image.Entrypoint.Concat(container.Args.Count > 0 ? container.Args : image.Cmd);
        var list = argv.ToList();
        return list.Count > 0
            ? list
            : throw new ArgumentException($"container {container.Name}: neither the pod nor the image says what to run", nameof(container));
    }
}
