using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// kube's <c>validateEphemeralContainers</c>, part of every pod spec's validation: each ephemeral container is checked
/// as a container, its name is unique among all the pod's containers, its target (if any) is one of the pod's init or
/// regular containers, and it sets none of the fields that would make the pod rely on it.
/// </summary>
internal static class EphemeralContainerValidation
{
    private const string NotForEphemeral = "cannot be set for an Ephemeral Container";

    public static void Validate(V1PodSpec spec, Dictionary<string, V1Volume> volumes, FieldPath path, List<FieldError> errors)
    {
        var others = new HashSet<string>((spec.Containers ?? []).Concat(spec.InitContainers ?? []).Select(c => c.Name ?? ""), StringComparer.Ordinal);
        var all = new HashSet<string>(others, StringComparer.Ordinal);
        var ephemeral = spec.EphemeralContainers ?? [];
        for (var i = 0; i < ephemeral.Count; i++)
        {
            var container = ephemeral[i];
            var containerPath = path.Index(i);
            PodSpecValidation.ValidateContainerCommon(EphemeralContainerCommon.AsContainer(container), volumes, containerPath, errors);
            var image = container.Image ?? "";
            if (image.Trim().Length != image.Length)
            {
                errors.Add(FieldErrors.Invalid(containerPath.Child("image"), image, "must not have leading or trailing whitespace"));
            }

            if (!all.Add(container.Name ?? ""))
            {
                errors.Add(FieldErrors.Duplicate(containerPath.Child("name"), container.Name ?? ""));
            }

            if (!string.IsNullOrEmpty(container.TargetContainerName) && !others.Contains(container.TargetContainerName))
            {
                errors.Add(FieldErrors.NotFound(containerPath.Child("targetContainerName"), container.TargetContainerName));
            }

            foreach (var field in SetButNotAllowed(container))
            {
                errors.Add(FieldErrors.Forbidden(containerPath.Child(field), NotForEphemeral));
            }

            // A subPath is a bind mount that outlives the container until the pod goes, and implies it is part of the workload.
            var mounts = container.VolumeMounts ?? [];
            for (var m = 0; m < mounts.Count; m++)
            {
                if (!string.IsNullOrEmpty(mounts[m].SubPath))
                {
                    errors.Add(FieldErrors.Forbidden(containerPath.Child("volumeMounts").Index(m).Child("subPath"), NotForEphemeral));
                }

                if (!string.IsNullOrEmpty(mounts[m].SubPathExpr))
                {
                    errors.Add(FieldErrors.Forbidden(containerPath.Child("volumeMounts").Index(m).Child("subPathExpr"), NotForEphemeral));
                }
            }
        }
    }

    /// <summary>
    /// The fields outside kube's <c>allowedEphemeralContainerFields</c> that are set (not their zero value), in the
    /// order of the Go struct, named as <c>validateFieldAllowList</c> names them. Resources left empty (<c>{}</c>, as
    /// kubectl sends them) are their zero value.
    /// </summary>
    private static IEnumerable<string> SetButNotAllowed(V1EphemeralContainer container)
    {
        if (container.Ports is not null)
        {
            yield return "ports";
        }

        if (container.Resources is { } resources && (resources.Limits is not null || resources.Requests is not null || resources.Claims is not null))
        {
            yield return "resources";
        }

        if (container.ResizePolicy is not null)
        {
            yield return "resizePolicy";
        }

        if (container.RestartPolicy is not null)
        {
            yield return "restartPolicy";
        }

        if (container.LivenessProbe is not null)
        {
            yield return "livenessProbe";
        }

        if (container.ReadinessProbe is not null)
        {
            yield return "readinessProbe";
        }

        if (container.StartupProbe is not null)
        {
            yield return "startupProbe";
        }

        if (container.Lifecycle is not null)
        {
            yield return "lifecycle";
        }
    }
}
