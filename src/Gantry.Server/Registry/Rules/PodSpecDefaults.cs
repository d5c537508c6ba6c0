using Gantry.Core.Resources;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// The defaulting of <c>k8s.io/kubernetes/pkg/apis/core/v1/defaults.go</c> that applies to every pod spec,
/// in pods and in the templates of controllers alike.
/// </summary>
internal static class PodSpecDefaults
{
    public const int DefaultFileMode = 420; // 0644

    public static void DefaultTemplate(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            return;
        }

        template.Spec ??= new V1PodSpec();
        Default(template.Spec);
    }

    public static void Default(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(spec.DnsPolicy))
        {
            spec.DnsPolicy = "ClusterFirst";
        }

        if (string.IsNullOrEmpty(spec.RestartPolicy))
        {
            spec.RestartPolicy = "Always";
        }

        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.TerminationGracePeriodSeconds ??= 30;
        if (string.IsNullOrEmpty(spec.SchedulerName))
        {
            spec.SchedulerName = "default-scheduler";
        }

        foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
        {
            DefaultContainer(container);
        }

        // SetDefaults_EphemeralContainer: the defaults of a container, on the ephemeral container's common fields.
        for (var i = 0; i < (spec.EphemeralContainers?.Count ?? 0); i++)
        {
            var ephemeral = spec.EphemeralContainers![i];
            var container = EphemeralContainerCommon.AsContainer(ephemeral);
            DefaultContainer(container);
            spec.EphemeralContainers[i] = EphemeralContainerCommon.AsEphemeral(container, ephemeral.TargetContainerName);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            DefaultVolume(volume);
        }
    }

    /// <summary>
    /// Pods on the host network serve on the node's ports, so an unset <c>hostPort</c> is the container port
    /// (applied to pods only, as the DefaultHostNetworkHostPortsInPodTemplates gate is off by default).
    /// </summary>
    public static void DefaultHostNetworkPorts(V1PodSpec spec)
    {
        if (spec.HostNetwork != true)
        {
            return;
        }

        foreach (var port in (spec.Containers ?? []).Concat(spec.InitContainers ?? []).SelectMany(c => c.Ports ?? []))
        {
            if (port.HostPort is null or 0)
            {
                port.HostPort = port.ContainerPort;
            }
        }
    }

    private static void DefaultContainer(V1Container container)
    {
        if (string.IsNullOrEmpty(container.ImagePullPolicy))
        {
            container.ImagePullPolicy = ImageTag(container.Image) == "latest" ? "Always" : "IfNotPresent";
        }

        if (string.IsNullOrEmpty(container.TerminationMessagePath))
        {
            container.TerminationMessagePath = "/dev/termination-log";
        }

        if (string.IsNullOrEmpty(container.TerminationMessagePolicy))
        {
            container.TerminationMessagePolicy = "File";
        }

        container.Resources ??= new V1ResourceRequirements();
        foreach (var port in container.Ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }
        }

        foreach (var fieldRef in (container.Env ?? []).Select(e => e.ValueFrom?.FieldRef))
        {
            if (fieldRef is not null && string.IsNullOrEmpty(fieldRef.ApiVersion))
            {
                fieldRef.ApiVersion = "v1";
            }
        }

        DefaultProbe(container.LivenessProbe);
        DefaultProbe(container.ReadinessProbe);
        DefaultProbe(container.StartupProbe);
        DefaultHttpGet(container.Lifecycle?.PostStart?.HttpGet);
        DefaultHttpGet(container.Lifecycle?.PreStop?.HttpGet);
    }

    private static void DefaultProbe(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        probe.TimeoutSeconds = probe.TimeoutSeconds is null or 0 ? 1 : probe.TimeoutSeconds;
        probe.PeriodSeconds = probe.PeriodSeconds is null or 0 ? 10 : probe.PeriodSeconds;
        probe.SuccessThreshold = probe.SuccessThreshold is null or 0 ? 1 : probe.SuccessThreshold;
        probe.FailureThreshold = probe.FailureThreshold is null or 0 ? 3 : probe.FailureThreshold;
        DefaultHttpGet(probe.HttpGet);
    }

    private static void DefaultHttpGet(V1HTTPGetAction? action)
    {
        if (action is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(action.Path))
        {
            action.Path = "/";
        }

        if (string.IsNullOrEmpty(action.Scheme))
        {
            action.Scheme = "HTTP";
        }
    }

    private static void DefaultVolume(V1Volume volume)
    {
        if (PodSpecValidation.VolumeSources(volume).Count == 0)
        {
            volume.EmptyDir = new V1EmptyDirVolumeSource();
        }

        if (volume.Secret is { } secret)
        {
            secret.DefaultMode ??= DefaultFileMode;
        }

        if (volume.ConfigMap is { } configMap)
        {
            configMap.DefaultMode ??= DefaultFileMode;
        }

        if (volume.DownwardAPI is { } downwardApi)
        {
            downwardApi.DefaultMode ??= DefaultFileMode;
            foreach (var item in downwardApi.Items ?? [])
            {
                if (item.FieldRef is { } fieldRef && string.IsNullOrEmpty(fieldRef.ApiVersion))
                {
                    fieldRef.ApiVersion = "v1";
                }
            }
        }

        if (volume.Projected is { } projected)
        {
            projected.DefaultMode ??= DefaultFileMode;
            foreach (var token in (projected.Sources ?? []).Select(s => s.ServiceAccountToken))
            {
                if (token is not null)
                {
                    token.ExpirationSeconds ??= 3600;
                }
            }
        }

        if (volume.HostPath is { } hostPath)
        {
            hostPath.Type ??= "";
        }
    }

    /// <summary>
    /// The tag of an image reference as the kubelet's parser sees it: <c>latest</c> when neither a tag nor a
    /// digest is given, empty when only a digest is.
    /// </summary>
    private static string ImageTag(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "latest";
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var hasDigest = at >= 0;
        var name = hasDigest ? image[..at] : image;
        var lastSegment = name[(name.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        if (colon >= 0)
        {
            return lastSegment[(colon + 1)..];
        }

        return hasDigest ? "" : "latest";
    }
}
