using k8s.Models;

namespace Gantry.Core.Resources;

/// <summary>
/// An ephemeral container seen as the container it is everywhere but in its own rules. Kubernetes converts
/// <c>EphemeralContainerCommon</c> to <c>Container</c> by a cast, the two having the same fields, to default, validate
/// and run it; the C# models are two classes, so the conversion copies the fields (sharing their values).
/// </summary>
public static class EphemeralContainerCommon
{
    public static V1Container AsContainer(V1EphemeralContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return new V1Container
        {
            Args = container.Args,
            Command = container.Command,
            Env = container.Env,
            EnvFrom = container.EnvFrom,
            Image = container.Image,
            ImagePullPolicy = container.ImagePullPolicy,
            Lifecycle = container.Lifecycle,
            LivenessProbe = container.LivenessProbe,
            Name = container.Name,
            Ports = container.Ports,
            ReadinessProbe = container.ReadinessProbe,
            ResizePolicy = container.ResizePolicy,
            Resources = container.Resources,
            RestartPolicy = container.RestartPolicy,
            SecurityContext = container.SecurityContext,
            StartupProbe = container.StartupProbe,
            Stdin = container.Stdin,
            StdinOnce = container.StdinOnce,
            TerminationMessagePath = container.TerminationMessagePath,
            TerminationMessagePolicy = container.TerminationMessagePolicy,
            Tty = container.Tty,
            VolumeDevices = container.VolumeDevices,
            VolumeMounts = container.VolumeMounts,
            WorkingDir = container.WorkingDir,
        };
    }

    /// <summary>The ephemeral container of <paramref name="container"/>'s fields, targeting <paramref name="targetContainerName"/>.</summary>
    public static V1EphemeralContainer AsEphemeral(V1Container container, string? targetContainerName)
    {
        ArgumentNullException.ThrowIfNull(container);
        return new V1EphemeralContainer
        {
            Args = container.Args,
            Command = container.Command,
            Env = container.Env,
            EnvFrom = container.EnvFrom,
            Image = container.Image,
            ImagePullPolicy = container.ImagePullPolicy,
            Lifecycle = container.Lifecycle,
            LivenessProbe = container.LivenessProbe,
            Name = container.Name,
            Ports = container.Ports,
            ReadinessProbe = container.ReadinessProbe,
            ResizePolicy = container.ResizePolicy,
            Resources = container.Resources,
            RestartPolicy = container.RestartPolicy,
            SecurityContext = container.SecurityContext,
            StartupProbe = container.StartupProbe,
            Stdin = container.Stdin,
            StdinOnce = container.StdinOnce,
            TargetContainerName = targetContainerName,
            TerminationMessagePath = container.TerminationMessagePath,
            TerminationMessagePolicy = container.TerminationMessagePolicy,
            Tty = container.Tty,
            VolumeDevices = container.VolumeDevices,
            VolumeMounts = container.VolumeMounts,
            WorkingDir = container.WorkingDir,
        };
    }
}
