using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// <c>ValidatePodSpec</c> and <c>ValidatePodTemplateSpec</c> of <c>k8s.io/kubernetes/pkg/apis/core/validation</c>,
/// for the fields Gantry runs: containers, init containers, ports, env, probes, resources, volumes and
/// the scheduling fields. Field paths and messages are the apiserver's.
/// </summary>
internal static class PodSpecValidation
{
    private const string FileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] TerminationMessagePolicies = ["File", "FallbackToLogsOnError"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] HttpSchemes = ["HTTP", "HTTPS"];
    private static readonly string[] PreemptionPolicies = ["PreemptLowerPriority", "Never"];
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    private static readonly string[] TolerationOperators = ["Equal", "Exists"];

    private static readonly string[] EnvFieldPaths =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    private static readonly HashSet<string> DownwardApiFieldLabels = new(StringComparer.Ordinal)
    {
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
        "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    };

    private static readonly HashSet<string> StandardContainerResources = new(StringComparer.Ordinal) { "cpu", "memory", "ephemeral-storage" };

    private static readonly (PropertyInfo Property, string JsonName)[] VolumeSourceProperties =
        typeof(V1Volume).GetProperties()
            .Where(p => p.Name != nameof(V1Volume.Name))
            .Select(p => (p, p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name))
            .ToArray();

    /// <summary>The JSON names of the volume sources set on <paramref name="volume"/>.</summary>
    public static IReadOnlyList<string> VolumeSources(V1Volume volume) =>
        VolumeSourceProperties.Where(p => p.Property.GetValue(volume) is not null).Select(p => p.JsonName).ToList();

    /// <summary>A pod template: its labels and annotations, then its spec under <c>spec</c>.</summary>
    public static void ValidateTemplate(V1PodTemplateSpec? template, FieldPath path, List<FieldError> errors)
    {
        if (template is null)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        // apimachinery reports template labels at "<path>.labels", not "<path>.metadata.labels".
        errors.AddRange(ObjectMetaValidation.ValidateLabels(template.Metadata?.Labels, path.Child("labels")));
        errors.AddRange(ObjectMetaValidation.ValidateAnnotations(template.Metadata?.Annotations, path.Child("annotations")));
        Validate(template.Spec ?? new V1PodSpec(), path.Child("spec"), isPod: false, errors);
    }

    public static void Validate(V1PodSpec spec, FieldPath path, bool isPod, List<FieldError> errors)
    {
        if (spec.TerminationGracePeriodSeconds is null)
        {
            errors.Add(FieldErrors.Required(path.Child("terminationGracePeriodSeconds")));
        }

        var volumes = ValidateVolumes(spec.Volumes ?? [], path.Child("volumes"), errors);
        ValidateContainers(spec, volumes, path.Child("containers"), errors);
        ValidateInitContainers(spec, volumes, path.Child("initContainers"), errors);
        EphemeralContainerValidation.Validate(spec, volumes, path.Child("ephemeralContainers"), errors);
        if (spec.HostNetwork == true)
        {
            ValidateHostNetworkPorts(spec.Containers ?? [], path.Child("containers"), isPod, errors);
        }

        ValidateEnum(spec.RestartPolicy, RestartPolicies, path.Child("restartPolicy"), errors);
        ValidateEnum(spec.DnsPolicy, DnsPolicies, path.Child("dnsPolicy"), errors);
        errors.AddRange(ObjectMetaValidation.ValidateLabels(spec.NodeSelector, path.Child("nodeSelector")));
        ValidateSecurityContext(spec.SecurityContext, path.Child("securityContext"), errors);
        if (spec.DnsPolicy == "None" && spec.DnsConfig is null)
        {
            errors.Add(FieldErrors.Required(path.Child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"));
        }
        else if (spec.DnsPolicy == "None" && (spec.DnsConfig?.Nameservers?.Count ?? 0) == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("dnsConfig").Child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"));
        }

        ValidateSubdomainName(spec.ServiceAccountName, path.Child("serviceAccountName"), errors);
        ValidateSubdomainName(spec.NodeName, path.Child("nodeName"), errors);
        if (spec.ActiveDeadlineSeconds is { } deadline && deadline is < 1 or > int.MaxValue)
        {
            errors.Add(FieldErrors.Invalid(path.Child("activeDeadlineSeconds"), deadline, FormatValidation.InclusiveRangeError(1, int.MaxValue)));
        }

        ValidateLabelName(spec.Hostname, path.Child("hostname"), errors);
        ValidateLabelName(spec.Subdomain, path.Child("subdomain"), errors);
        ValidateTolerations(spec.Tolerations ?? [], path.Child("tolerations"), errors);
        ValidateSubdomainName(spec.PriorityClassName, path.Child("priorityClassName"), errors);
        if (spec.RuntimeClassName is { } runtimeClass)
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(runtimeClass)
                .Select(m => FieldErrors.Invalid(path.Child("runtimeClassName"), runtimeClass, m)));
        }

        if (spec.PreemptionPolicy is { } preemption)
        {
            ValidateEnum(preemption, PreemptionPolicies, path.Child("preemptionPolicy"), errors);
        }

        if (isPod)
        {
            ValidateImageWhitespace(spec.Containers ?? [], path.Child("containers"), errors);
            ValidateImageWhitespace(spec.InitContainers ?? [], path.Child("initContainers"), errors);
        }
    }

    /// <summary>Only additions to the old tolerations are allowed, and an old one may change only its <c>tolerationSeconds</c>.</summary>
    public static void ValidateOnlyAddedTolerations(IList<V1Toleration>? updated, IList<V1Toleration>? old, FieldPath path, List<FieldError> errors)
    {
        foreach (var previous in old ?? [])
        {
            var found = (updated ?? []).Any(t => t.Key == previous.Key && t.OperatorProperty == previous.OperatorProperty &&
                t.Value == previous.Value && t.Effect == previous.Effect);
            if (!found)
            {
                errors.Add(FieldErrors.Forbidden(path, "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }

        ValidateTolerations(updated ?? [], path, errors);
    }

    /// <summary>
    /// The container list check of <c>ValidatePodUpdate</c>: same number of containers, each with an image.
    /// Returns false when the counts differ, after which nothing else can be compared.
    /// </summary>
    public static bool ValidateContainerUpdates(IList<V1Container>? updated, IList<V1Container>? old, FieldPath path, List<FieldError> errors)
    {
        updated ??= [];
        if (updated.Count != (old?.Count ?? 0))
        {
            errors.Add(FieldErrors.Forbidden(path, "pod updates may not add or remove containers"));
            return false;
        }

        for (var i = 0; i < updated.Count; i++)
        {
            var image = updated[i].Image ?? "";
            if (image.Length == 0)
            {
                errors.Add(FieldErrors.Required(path.Index(i).Child("image")));
            }

            if (image.Trim().Length != image.Length)
            {
                errors.Add(FieldErrors.Invalid(path.Index(i).Child("image"), image, "must not have leading or trailing whitespace"));
            }
        }

        return true;
    }

    private static Dictionary<string, V1Volume> ValidateVolumes(IList<V1Volume> volumes, FieldPath path, List<FieldError> errors)
    {
        var byName = new Dictionary<string, V1Volume>(StringComparer.Ordinal);
        for (var i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            var volumePath = path.Index(i);
            var namePath = volumePath.Child("name");
            var sources = VolumeSources(volume);
            if (sources.Count == 0)
            {
                errors.Add(FieldErrors.Required(volumePath, "must specify a volume type"));
            }

            foreach (var extra in sources.Skip(1))
            {
                errors.Add(FieldErrors.Forbidden(volumePath.Child(extra), "may not specify more than 1 volume type"));
            }

            ValidateVolumeSource(volume, volumePath, errors);
            var name = volume.Name ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldErrors.Required(namePath));
            }
            else
            {
                errors.AddRange(FormatValidation.IsDns1123Label(name).Select(m => FieldErrors.Invalid(namePath, name, m)));
            }

            if (!byName.TryAdd(name, volume))
            {
                errors.Add(FieldErrors.Duplicate(namePath, name));
            }
        }

        return byName;
    }

    private static void ValidateVolumeSource(V1Volume volume, FieldPath path, List<FieldError> errors)
    {
        if (volume.HostPath is { } hostPath && string.IsNullOrEmpty(hostPath.Path))
        {
            errors.Add(FieldErrors.Required(path.Child("hostPath").Child("path")));
        }

        if (volume.Secret is { } secret)
        {
            if (string.IsNullOrEmpty(secret.SecretName))
            {
                errors.Add(FieldErrors.Required(path.Child("secret").Child("secretName")));
            }

            ValidateFileMode(secret.DefaultMode, path.Child("secret").Child("defaultMode"), errors);
        }

        if (volume.ConfigMap is { } configMap)
        {
            if (string.IsNullOrEmpty(configMap.Name))
            {
                errors.Add(FieldErrors.Required(path.Child("configMap").Child("name")));
            }

            ValidateFileMode(configMap.DefaultMode, path.Child("configMap").Child("defaultMode"), errors);
        }

        if (volume.PersistentVolumeClaim is { } claim && string.IsNullOrEmpty(claim.ClaimName))
        {
            errors.Add(FieldErrors.Required(path.Child("persistentVolumeClaim").Child("claimName")));
        }

        if (volume.DownwardAPI is { } downwardApi)
        {
            ValidateFileMode(downwardApi.DefaultMode, path.Child("downwardAPI").Child("defaultMode"), errors);
        }

        if (volume.Projected is { } projected)
        {
            ValidateFileMode(projected.DefaultMode, path.Child("projected").Child("defaultMode"), errors);
        }
    }

    private static void ValidateFileMode(int? mode, FieldPath path, List<FieldError> errors)
    {
        if (mode is < 0 or > 511)
        {
            errors.Add(FieldErrors.Invalid(path, mode.Value, FileModeMessage));
        }
    }

    private static void ValidateContainers(V1PodSpec spec, Dictionary<string, V1Volume> volumes, FieldPath path, List<FieldError> errors)
    {
        var containers = spec.Containers ?? [];
        if (containers.Count == 0)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var containerPath = path.Index(i);
            ValidateContainerCommon(container, volumes, containerPath, errors);
            if (!names.Add(container.Name ?? ""))
            {
                errors.Add(FieldErrors.Duplicate(containerPath.Child("name"), container.Name ?? ""));
            }

            ValidateLifecycle(container.Lifecycle, containerPath.Child("lifecycle"), errors);
            ValidateProbe(container.LivenessProbe, containerPath.Child("livenessProbe"), isReadiness: false, errors);
            ValidateProbe(container.ReadinessProbe, containerPath.Child("readinessProbe"), isReadiness: true, errors);
            ValidateProbe(container.StartupProbe, containerPath.Child("startupProbe"), isReadiness: false, errors);
            if (container.RestartPolicy is not null)
            {
                errors.Add(FieldErrors.Forbidden(containerPath.Child("restartPolicy"), "may not be set for non-init containers"));
            }
        }

        ValidateHostPortConflicts(containers, path, errors);
    }

    private static void ValidateInitContainers(V1PodSpec spec, Dictionary<string, V1Volume> volumes, FieldPath path, List<FieldError> errors)
    {
        var names = new HashSet<string>((spec.Containers ?? []).Select(c => c.Name ?? ""), StringComparer.Ordinal);
        var containers = spec.InitContainers ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var containerPath = path.Index(i);
            ValidateContainerCommon(container, volumes, containerPath, errors);
            var restartAlways = false;
            if (container.RestartPolicy is { } restartPolicy)
            {
                ValidateEnum(restartPolicy, ["Always"], containerPath.Child("restartPolicy"), errors);
                restartAlways = restartPolicy == "Always";
            }

            var name = container.Name ?? "";
            if (names.Contains(name))
            {
                errors.Add(FieldErrors.Duplicate(containerPath.Child("name"), name));
            }
            else if (name.Length > 0)
            {
                names.Add(name);
            }

            ValidateHostPortConflicts([container], path, errors);
            if (restartAlways)
            {
                ValidateLifecycle(container.Lifecycle, containerPath.Child("lifecycle"), errors);
                ValidateProbe(container.LivenessProbe, containerPath.Child("livenessProbe"), isReadiness: false, errors);
                ValidateProbe(container.ReadinessProbe, containerPath.Child("readinessProbe"), isReadiness: true, errors);
                ValidateProbe(container.StartupProbe, containerPath.Child("startupProbe"), isReadiness: false, errors);
                continue;
            }

            const string sidecarOnly = "may not be set for init containers without restartPolicy=Always";
            if (container.Lifecycle is not null)
            {
                errors.Add(FieldErrors.Forbidden(containerPath.Child("lifecycle"), sidecarOnly));
            }

            if (container.LivenessProbe is not null)
            {
                errors.Add(FieldErrors.Forbidden(containerPath.Child("livenessProbe"), sidecarOnly));
            }

            if (container.ReadinessProbe is not null)
            {
                errors.Add(FieldErrors.Forbidden(containerPath.Child("readinessProbe"), sidecarOnly));
            }

            if (container.StartupProbe is not null)
            {
                errors.Add(FieldErrors.Forbidden(containerPath.Child("startupProbe"), sidecarOnly));
            }
        }
    }

    public static void ValidateContainerCommon(V1Container container, Dictionary<string, V1Volume> volumes, FieldPath path, List<FieldError> errors)
    {
        var name = container.Name ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("name")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1123Label(name).Select(m => FieldErrors.Invalid(path.Child("name"), name, m)));
        }

        if (string.IsNullOrEmpty(container.Image))
        {
            errors.Add(FieldErrors.Required(path.Child("image")));
        }

        ValidateEnum(container.TerminationMessagePolicy, TerminationMessagePolicies, path.Child("terminationMessagePolicy"), errors);
        ValidatePorts(container.Ports ?? [], path.Child("ports"), errors);
        ValidateEnv(container.Env ?? [], path.Child("env"), errors);
        ValidateEnvFrom(container.EnvFrom ?? [], path.Child("envFrom"), errors);
        ValidateVolumeMounts(container.VolumeMounts ?? [], volumes, path.Child("volumeMounts"), errors);
        ValidateEnum(container.ImagePullPolicy, PullPolicies, path.Child("imagePullPolicy"), errors);
        ValidateResources(container.Resources, path.Child("resources"), errors);
        ValidateContainerSecurityContext(container.SecurityContext, path.Child("securityContext"), errors);
    }

    private static void ValidatePorts(IList<V1ContainerPort> ports, FieldPath path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var portPath = path.Index(i);
            if (!string.IsNullOrEmpty(port.Name))
            {
                var messages = FormatValidation.IsValidPortName(port.Name);
                if (messages.Count > 0)
                {
                    errors.AddRange(messages.Select(m => FieldErrors.Invalid(portPath.Child("name"), port.Name, m)));
                }
                else if (!names.Add(port.Name))
                {
                    errors.Add(FieldErrors.Duplicate(portPath.Child("name"), port.Name));
                }
            }

            if (port.ContainerPort == 0)
            {
                errors.Add(FieldErrors.Required(portPath.Child("containerPort")));
            }
            else
            {
                errors.AddRange(FormatValidation.IsValidPortNum(port.ContainerPort)
                    .Select(m => FieldErrors.Invalid(portPath.Child("containerPort"), port.ContainerPort, m)));
            }

            if (port.HostPort is { } hostPort and not 0)
            {
                errors.AddRange(FormatValidation.IsValidPortNum(hostPort).Select(m => FieldErrors.Invalid(portPath.Child("hostPort"), hostPort, m)));
            }

            if (string.IsNullOrEmpty(port.Protocol))
            {
                errors.Add(FieldErrors.Required(portPath.Child("protocol")));
            }
            else if (!Protocols.Contains(port.Protocol))
            {
                errors.Add(FieldErrors.NotSupported(portPath.Child("protocol"), port.Protocol, Protocols));
            }
        }
    }

    private static void ValidateEnv(IList<V1EnvVar> env, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < env.Count; i++)
        {
            var variable = env[i];
            var variablePath = path.Index(i);
            if (string.IsNullOrEmpty(variable.Name))
            {
                errors.Add(FieldErrors.Required(variablePath.Child("name")));
            }
            else
            {
                errors.AddRange(FormatValidation.IsEnvVarName(variable.Name).Select(m => FieldErrors.Invalid(variablePath.Child("name"), variable.Name, m)));
            }

            ValidateEnvSource(variable, variablePath.Child("valueFrom"), errors);
        }
    }

    private static void ValidateEnvSource(V1EnvVar variable, FieldPath path, List<FieldError> errors)
    {
        var source = variable.ValueFrom;
        if (source is null)
        {
            return;
        }

        var sources = 0;
        if (source.FieldRef is { } fieldRef)
        {
            sources++;
            ValidateFieldRef(fieldRef, path.Child("fieldRef"), errors);
        }

        if (source.ResourceFieldRef is { } resourceRef)
        {
            sources++;
            if (string.IsNullOrEmpty(resourceRef.Resource))
            {
                errors.Add(FieldErrors.Required(path.Child("resourceFieldRef").Child("resource")));
            }
        }

        if (source.ConfigMapKeyRef is { } configMapRef)
        {
            sources++;
            ValidateKeySelector(configMapRef.Name, configMapRef.Key, path.Child("configMapKeyRef"), errors);
        }

        if (source.SecretKeyRef is { } secretRef)
        {
            sources++;
            ValidateKeySelector(secretRef.Name, secretRef.Key, path.Child("secretKeyRef"), errors);
        }

        if (sources == 0)
        {
            errors.Add(FieldErrors.Invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        }
        else if (!string.IsNullOrEmpty(variable.Value))
        {
            errors.Add(FieldErrors.Invalid(path, "", "may not be specified when `value` is not empty"));
        }
        else if (sources > 1)
        {
            errors.Add(FieldErrors.Invalid(path, "", "may not have more than one field specified at a time"));
        }
    }

    private static void ValidateFieldRef(V1ObjectFieldSelector fieldRef, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(fieldRef.ApiVersion))
        {
            errors.Add(FieldErrors.Required(path.Child("apiVersion")));
            return;
        }

        var fieldPath = fieldRef.FieldPath ?? "";
        if (fieldPath.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("fieldPath")));
            return;
        }

        var bracket = fieldPath.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && fieldPath.EndsWith("']", StringComparison.Ordinal) && fieldPath[bracket..].StartsWith("['", StringComparison.Ordinal))
        {
            var field = fieldPath[..bracket];
            var subscript = fieldPath[(bracket + 2)..^2];
            switch (field)
            {
                case "metadata.labels":
                    errors.AddRange(FormatValidation.IsQualifiedName(subscript).Select(m => FieldErrors.Invalid(path, subscript, m)));
                    return;
                case "metadata.annotations":
                    errors.AddRange(FormatValidation.IsQualifiedName(subscript.ToLowerInvariant()).Select(m => FieldErrors.Invalid(path, subscript.ToLowerInvariant(), m)));
                    return;
                default:
                    errors.Add(FieldErrors.Invalid(path.Child("fieldPath"), fieldPath, $"error converting fieldPath: field label not supported: {fieldPath}"));
                    return;
            }
        }

        if (!DownwardApiFieldLabels.Contains(fieldPath))
        {
            errors.Add(FieldErrors.Invalid(path.Child("fieldPath"), fieldPath, $"error converting fieldPath: field label not supported: {fieldPath}"));
        }
        else if (!EnvFieldPaths.Contains(fieldPath))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("fieldPath"), fieldPath, EnvFieldPaths));
        }
    }

    private static void ValidateKeySelector(string? name, string? key, FieldPath path, List<FieldError> errors)
    {
        errors.AddRange(FormatValidation.IsDns1123Subdomain(name ?? "").Select(m => FieldErrors.Invalid(path.Child("name"), name ?? "", m)));
        if (string.IsNullOrEmpty(key))
        {
            errors.Add(FieldErrors.Required(path.Child("key")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldErrors.Invalid(path.Child("key"), key, m)));
        }
    }

    private static void ValidateEnvFrom(IList<V1EnvFromSource> sources, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            var sourcePath = path.Index(i);
            if (!string.IsNullOrEmpty(source.Prefix))
            {
                errors.AddRange(FormatValidation.IsEnvVarName(source.Prefix).Select(m => FieldErrors.Invalid(sourcePath.Child("prefix"), source.Prefix, m)));
            }

            var count = 0;
            if (source.ConfigMapRef is { } configMapRef)
            {
                count++;
                ValidateReferencedName(configMapRef.Name, sourcePath.Child("configMapRef").Child("name"), errors);
            }

            if (source.SecretRef is { } secretRef)
            {
                count++;
                ValidateReferencedName(secretRef.Name, sourcePath.Child("secretRef").Child("name"), errors);
            }

            if (count == 0)
            {
                errors.Add(FieldErrors.Invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
            }
            else if (count > 1)
            {
                errors.Add(FieldErrors.Invalid(path, "", "may not have more than one field specified at a time"));
            }
        }
    }

    private static void ValidateReferencedName(string? name, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        // A referenced name is checked as a generateName prefix would be: a trailing dash is tolerated.
        var masked = name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;
        errors.AddRange(FormatValidation.IsDns1123Subdomain(masked).Select(m => FieldErrors.Invalid(path, name, m)));
    }

    private static void ValidateVolumeMounts(IList<V1VolumeMount> mounts, Dictionary<string, V1Volume> volumes, FieldPath path, List<FieldError> errors)
    {
        var mountPoints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var mountPath = path.Index(i);
            var name = mount.Name ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldErrors.Required(mountPath.Child("name")));
            }

            if (!volumes.ContainsKey(name))
            {
                errors.Add(FieldErrors.NotFound(mountPath.Child("name"), name));
            }

            var target = mount.MountPath ?? "";
            if (target.Length == 0)
            {
                errors.Add(FieldErrors.Required(mountPath.Child("mountPath")));
            }

            if (!mountPoints.Add(target))
            {
                errors.Add(FieldErrors.Invalid(mountPath.Child("mountPath"), target, "must be unique"));
            }

            if (!string.IsNullOrEmpty(mount.SubPath) && !string.IsNullOrEmpty(mount.SubPathExpr))
            {
                errors.Add(FieldErrors.Invalid(mountPath.Child("subPathExpr"), mount.SubPathExpr, "subPathExpr and subPath are mutually exclusive"));
            }
        }
    }

    private static void ValidateResources(V1ResourceRequirements? resources, FieldPath path, List<FieldError> errors)
    {
        if (resources is null)
        {
            return;
        }

        var limitsPath = path.Child("limits");
        var requestsPath = path.Child("requests");
        var limits = resources.Limits ?? new Dictionary<string, ResourceQuantity>();
        foreach (var (name, quantity) in limits)
        {
            ValidateResourceEntry(name, quantity, limitsPath.Key(name), errors);
        }

        foreach (var (name, quantity) in resources.Requests ?? new Dictionary<string, ResourceQuantity>())
        {
            ValidateResourceEntry(name, quantity, requestsPath.Key(name), errors);
            if (limits.TryGetValue(name, out var limit))
            {
                var request = quantity.ToDecimal();
                var bound = limit.ToDecimal();
                if (request != bound && !IsOvercommitAllowed(name))
                {
                    errors.Add(FieldErrors.Invalid(requestsPath, quantity.ToString(), $"must be equal to {name} limit of {limit}"));
                }
                else if (request > bound)
                {
                    errors.Add(FieldErrors.Invalid(requestsPath, quantity.ToString(), $"must be less than or equal to {name} limit of {limit}"));
                }
            }
            else if (!IsOvercommitAllowed(name))
            {
                errors.Add(FieldErrors.Required(limitsPath, "Limit must be set for non overcommitable resources"));
            }
        }
    }

    private static void ValidateResourceEntry(string name, ResourceQuantity quantity, FieldPath path, List<FieldError> errors)
    {
        var nameMessages = FormatValidation.IsQualifiedName(name);
        if (nameMessages.Count > 0)
        {
            errors.AddRange(nameMessages.Select(m => FieldErrors.Invalid(path, name, m)));
        }
        else if (!name.Contains('/', StringComparison.Ordinal) && !StandardContainerResources.Contains(name) &&
            !name.StartsWith("hugepages-", StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid(path, name, "must be a standard resource for containers"));
        }

        if (quantity is not null && quantity.ToDecimal() < 0)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.QuantityText(quantity), FormatValidation.IsNegative));
        }
    }

    // Native resources (no domain, or the kubernetes.io domain) may be overcommitted, except huge pages.
    internal static bool IsOvercommitAllowed(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var native = slash < 0 || name[..slash] == "kubernetes.io" || name[..slash].EndsWith(".kubernetes.io", StringComparison.Ordinal);
        return native && !name.StartsWith("hugepages-", StringComparison.Ordinal);
    }

    private static void ValidateContainerSecurityContext(V1SecurityContext? context, FieldPath path, List<FieldError> errors)
    {
        if (context is null)
        {
            return;
        }

        ValidateId(context.RunAsUser, path.Child("runAsUser"), errors);
        ValidateId(context.RunAsGroup, path.Child("runAsGroup"), errors);
        if (context.Privileged == true && context.AllowPrivilegeEscalation == false)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Struct("core.SecurityContext"), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
        }
    }

    private static void ValidateSecurityContext(V1PodSecurityContext? context, FieldPath path, List<FieldError> errors)
    {
        if (context is null)
        {
            return;
        }

        ValidateId(context.FsGroup, path.Child("fsGroup"), errors);
        ValidateId(context.RunAsUser, path.Child("runAsUser"), errors);
        ValidateId(context.RunAsGroup, path.Child("runAsGroup"), errors);
        var groups = context.SupplementalGroups ?? [];
        for (var i = 0; i < groups.Count; i++)
        {
            ValidateId(groups[i], path.Child("supplementalGroups").Index(i), errors);
        }
    }

    private static void ValidateId(long? id, FieldPath path, List<FieldError> errors)
    {
        if (id is < 0 or > int.MaxValue)
        {
            errors.Add(FieldErrors.Invalid(path, id.Value, FormatValidation.InclusiveRangeError(0, int.MaxValue)));
        }
    }

    /// <summary>A probe; liveness and startup probes must succeed once to count, readiness probes have no grace period.</summary>
    private static void ValidateProbe(V1Probe? probe, FieldPath path, bool isReadiness, List<FieldError> errors)
    {
        if (probe is null)
        {
            return;
        }

        ValidateHandler(probe.Exec, probe.HttpGet, probe.TcpSocket, probe.Grpc, sleep: null, path, errors);
        ValidateNonNegative(probe.InitialDelaySeconds, path.Child("initialDelaySeconds"), errors);
        ValidateNonNegative(probe.TimeoutSeconds, path.Child("timeoutSeconds"), errors);
        ValidateNonNegative(probe.PeriodSeconds, path.Child("periodSeconds"), errors);
        ValidateNonNegative(probe.SuccessThreshold, path.Child("successThreshold"), errors);
        ValidateNonNegative(probe.FailureThreshold, path.Child("failureThreshold"), errors);
        if (probe.TerminationGracePeriodSeconds is <= 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("terminationGracePeriodSeconds"), probe.TerminationGracePeriodSeconds.Value, "must be greater than 0"));
        }

        if (!isReadiness && probe.SuccessThreshold != 1)
        {
            errors.Add(FieldErrors.Invalid(path.Child("successThreshold"), probe.SuccessThreshold ?? 0, "must be 1"));
        }

        if (isReadiness && probe.TerminationGracePeriodSeconds is { } grace)
        {
            errors.Add(FieldErrors.Invalid(path.Child("terminationGracePeriodSeconds"), grace, "must not be set for readinessProbes"));
        }
    }

    private static void ValidateLifecycle(V1Lifecycle? lifecycle, FieldPath path, List<FieldError> errors)
    {
        if (lifecycle?.PostStart is { } postStart)
        {
            ValidateHandler(postStart.Exec, postStart.HttpGet, postStart.TcpSocket, grpc: null, postStart.Sleep, path.Child("postStart"), errors);
        }

        if (lifecycle?.PreStop is { } preStop)
        {
            ValidateHandler(preStop.Exec, preStop.HttpGet, preStop.TcpSocket, grpc: null, preStop.Sleep, path.Child("preStop"), errors);
        }
    }

    private static void ValidateHandler(
        V1ExecAction? exec, V1HTTPGetAction? httpGet, V1TCPSocketAction? tcpSocket, V1GRPCAction? grpc, V1SleepAction? sleep,
        FieldPath path, List<FieldError> errors)
    {
        var handlers = 0;
        void Count(string name, Action validate)
        {
            if (handlers > 0)
            {
                errors.Add(FieldErrors.Forbidden(path.Child(name), "may not specify more than 1 handler type"));
                return;
            }

            handlers++;
            validate();
        }

        if (exec is not null)
        {
            Count("exec", () =>
            {
                if ((exec.Command?.Count ?? 0) == 0)
                {
                    errors.Add(FieldErrors.Required(path.Child("exec").Child("command")));
                }
            });
        }

        if (httpGet is not null)
        {
            Count("httpGet", () =>
            {
                var httpPath = path.Child("httpGet");
                if (string.IsNullOrEmpty(httpGet.Path))
                {
                    errors.Add(FieldErrors.Required(httpPath.Child("path")));
                }

                ValidatePortNumOrName(httpGet.Port, httpPath.Child("port"), errors);
                if (!HttpSchemes.Contains(httpGet.Scheme))
                {
                    errors.Add(FieldErrors.NotSupported(httpPath.Child("scheme"), httpGet.Scheme ?? "", HttpSchemes));
                }
            });
        }

        if (tcpSocket is not null)
        {
            Count("tcpSocket", () => ValidatePortNumOrName(tcpSocket.Port, path.Child("tcpSocket").Child("port"), errors));
        }

        if (grpc is not null)
        {
            Count("grpc", () => errors.AddRange(FormatValidation.IsValidPortNum(grpc.Port)
                .Select(m => FieldErrors.Invalid(path.Child("grpc").Child("port"), grpc.Port, m))));
        }

        if (sleep is not null)
        {
            Count("sleep", () => { });
        }

        if (handlers == 0)
        {
            errors.Add(FieldErrors.Required(path, "must specify a handler type"));
        }
    }

    /// <summary>A port given as a number (1–65535) or as the name of a container port.</summary>
    public static void ValidatePortNumOrName(IntOrString? port, FieldPath path, List<FieldError> errors)
    {
        var text = port?.Value ?? "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            errors.AddRange(FormatValidation.IsValidPortNum(number).Select(m => FieldErrors.Invalid(path, number, m)));
        }
        else
        {
            errors.AddRange(FormatValidation.IsValidPortName(text).Select(m => FieldErrors.Invalid(path, text, m)));
        }
    }

    private static void ValidateNonNegative(int? value, FieldPath path, List<FieldError> errors)
    {
        if (value is < 0)
        {
            errors.Add(FieldErrors.Invalid(path, value.Value, FormatValidation.IsNegative));
        }
    }

    private static void ValidateHostPortConflicts(IEnumerable<V1Container> containers, FieldPath path, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var container in containers)
        {
            var ports = container.Ports ?? [];
            for (var i = 0; i < ports.Count; i++)
            {
                if (ports[i].HostPort is not { } hostPort || hostPort == 0)
                {
                    continue;
                }

                var key = $"{ports[i].Protocol}/{ports[i].HostIP}/{hostPort}";
                if (!seen.Add(key))
                {
                    errors.Add(FieldErrors.Duplicate(path.Index(index).Child("ports").Index(i).Child("hostPort"), key));
                }
            }

            index++;
        }
    }

    private static void ValidateHostNetworkPorts(IList<V1Container> containers, FieldPath path, bool isPod, List<FieldError> errors)
    {
        for (var i = 0; i < containers.Count; i++)
        {
            var ports = containers[i].Ports ?? [];
            for (var j = 0; j < ports.Count; j++)
            {
                var hostPort = ports[j].HostPort ?? 0;
                if ((isPod || hostPort != 0) && hostPort != ports[j].ContainerPort)
                {
                    errors.Add(FieldErrors.Invalid(path.Index(i).Child("ports").Index(j).Child("hostPort"), hostPort,
                        "must match `containerPort` when `hostNetwork` is true"));
                }
            }
        }
    }

    private static void ValidateTolerations(IList<V1Toleration> tolerations, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < tolerations.Count; i++)
        {
            var toleration = tolerations[i];
            var tolerationPath = path.Index(i);
            var key = toleration.Key ?? "";
            if (key.Length > 0)
            {
                errors.AddRange(ObjectMetaValidation.ValidateLabelName(key, tolerationPath.Child("key")));
            }

            var op = toleration.OperatorProperty ?? "";
            if (key.Length == 0 && op != "Exists")
            {
                errors.Add(FieldErrors.Invalid(tolerationPath.Child("operator"), op,
                    "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
            {
                errors.Add(FieldErrors.Invalid(tolerationPath.Child("effect"), toleration.Effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            switch (op)
            {
                case "Equal" or "":
                    var messages = FormatValidation.IsValidLabelValue(toleration.Value ?? "");
                    if (messages.Count > 0)
                    {
                        errors.Add(FieldErrors.Invalid(tolerationPath.Child("operator"), toleration.Value ?? "", string.Join(";", messages)));
                    }

                    break;
                case "Exists":
                    if (!string.IsNullOrEmpty(toleration.Value))
                    {
                        errors.Add(FieldErrors.Invalid(tolerationPath.Child("operator"), toleration.Value, "value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    errors.Add(FieldErrors.NotSupported(tolerationPath.Child("operator"), op, TolerationOperators));
                    break;
            }

            if (!string.IsNullOrEmpty(toleration.Effect) && !TaintEffects.Contains(toleration.Effect))
            {
                errors.Add(FieldErrors.NotSupported(tolerationPath.Child("effect"), toleration.Effect, TaintEffects));
            }
        }
    }

    private static void ValidateImageWhitespace(IList<V1Container> containers, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < containers.Count; i++)
        {
            var image = containers[i].Image ?? "";
            if (image.Trim().Length != image.Length)
            {
                errors.Add(FieldErrors.Invalid(path.Index(i).Child("image"), image, "must not have leading or trailing whitespace"));
            }
        }
    }

    /// <summary>An enumerated string: Required when empty, NotSupported outside <paramref name="supported"/>.</summary>
    public static void ValidateEnum(string? value, string[] supported, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldErrors.Required(path));
        }
        else if (!supported.Contains(value))
        {
            errors.Add(FieldErrors.NotSupported(path, value, supported));
        }
    }

    private static void ValidateSubdomainName(string? name, FieldPath path, List<FieldError> errors)
    {
        if (!string.IsNullOrEmpty(name))
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(name).Select(m => FieldErrors.Invalid(path, name, m)));
        }
    }

    private static void ValidateLabelName(string? name, FieldPath path, List<FieldError> errors)
    {
        if (!string.IsNullOrEmpty(name))
        {
            errors.AddRange(FormatValidation.IsDns1123Label(name).Select(m => FieldErrors.Invalid(path, name, m)));
        }
    }
}
