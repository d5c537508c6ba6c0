using System.Reflection;
using k8s.Models;

namespace Gantry.Core.Resources;

/// <summary>
/// An ephemeral container seen as the container it is everywhere but in its own rules. Kubernetes converts
/// <c>EphemeralContainerCommon</c> to <c>Container</c> by a cast, the two having the same fields, to default, validate
/// and run it; the C# models are two classes, so the conversion copies the fields (sharing their values), one list of
/// them serving both ways.
/// </summary>
public static class EphemeralContainerCommon
{
    /// <summary>
    /// The fields copied, each a property of the same name and type on both classes. Kubernetes 1.32's
    /// <c>EphemeralContainerCommon</c>, so not the later <c>restartPolicyRules</c> the models also have.
    /// </summary>
    private static readonly (PropertyInfo Container, PropertyInfo Ephemeral)[] Fields =
    [
        .. new[]
        {
            nameof(V1Container.Args), nameof(V1Container.Command), nameof(V1Container.Env), nameof(V1Container.EnvFrom),
            nameof(V1Container.Image), nameof(V1Container.ImagePullPolicy), nameof(V1Container.Lifecycle),
            nameof(V1Container.LivenessProbe), nameof(V1Container.Name), nameof(V1Container.Ports),
            nameof(V1Container.ReadinessProbe), nameof(V1Container.ResizePolicy), nameof(V1Container.Resources),
            nameof(V1Container.RestartPolicy), nameof(V1Container.SecurityContext), nameof(V1Container.StartupProbe),
            nameof(V1Container.Stdin), nameof(V1Container.StdinOnce), nameof(V1Container.TerminationMessagePath),
            nameof(V1Container.TerminationMessagePolicy), nameof(V1Container.Tty), nameof(V1Container.VolumeDevices),
            nameof(V1Container.VolumeMounts), nameof(V1Container.WorkingDir),
        }.Select(name => (typeof(V1Container).GetProperty(name)!, typeof(V1EphemeralContainer).GetProperty(name)!)),
    ];

    public static V1Container AsContainer(V1EphemeralContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var copy = new V1Container();
        foreach (var (to, from) in Fields)
        {
            to.SetValue(copy, from.GetValue(container));
        }

        return copy;
    }

    /// <summary>The ephemeral container of <paramref name="container"/>'s fields, targeting <paramref name="targetContainerName"/>.</summary>
    public static V1EphemeralContainer AsEphemeral(V1Container container, string? targetContainerName)
    {
        ArgumentNullException.ThrowIfNull(container);
        var copy = new V1EphemeralContainer { TargetContainerName = targetContainerName };
        foreach (var (from, to) in Fields)
        {
            to.SetValue(copy, from.GetValue(container));
        }

        return copy;
    }
}
