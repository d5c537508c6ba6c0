using System.Text;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Runtimes;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// Turns a pod's container into what a runtime runs: environment resolved (values, field
/// references, config map and secret keys), volumes materialised as host paths, resources in
/// kernel units, and the pod's resolv.conf (<see cref="PodDns"/>) mounted read-only at /etc/resolv.conf, as the
/// kubelet does, unless the container mounts something there itself.
/// </summary>
public sealed class ContainerSpecs(IKubernetes client, string volumeRoot, PodDns? dns = null)
{
    private const string ResolvConfPath = "/etc/resolv.conf";

    private const long DefaultPidsLimit = 4096;

    public async Task<ContainerSpec> BuildAsync(V1Pod pod, V1Container container, string? podIp, string? hostIp, CancellationToken cancellationToken)
    {
        var env = new List<EnvVar>();
        foreach (var source in container.EnvFrom ?? [])
        {
            var values = await LoadAsync(pod, source.ConfigMapRef?.Name, source.SecretRef?.Name, cancellationToken).ConfigureAwait(false);
            env.AddRange(values.Select(kv => new EnvVar((source.Prefix ?? "") + kv.Key, kv.Value)));
        }

        foreach (var variable in container.Env ?? [])
        {
            env.Add(new EnvVar(variable.Name, await ResolveAsync(pod, variable, podIp, hostIp, cancellationToken).ConfigureAwait(false)));
        }

        var mounts = new List<ContainerMount>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)
                ?? throw new InvalidOperationException($"volume \"{mount.Name}\" is not defined in the pod");
            var hostPath = await MaterialiseAsync(pod, volume, cancellationToken).ConfigureAwait(false);
            mounts.Add(new ContainerMount(hostPath, mount.MountPath, mount.ReadOnlyProperty == true));
        }

        // A process pod's mounts land on the host's paths: with no host /etc/resolv.conf there is nothing to cover.
        if (!mounts.Any(m => m.ContainerPath.TrimEnd('/') == ResolvConfPath) && (pod.Spec.RuntimeClassName != "process" || File.Exists(ResolvConfPath)))
        {
            mounts.Add(new ContainerMount(await WriteResolvConfAsync(pod, cancellationToken).ConfigureAwait(false), ResolvConfPath, ReadOnly: true));
        }

        return new ContainerSpec
        {
            Name = container.Name,
            Image = container.Image,
            ImagePullPolicy = container.ImagePullPolicy,
            Command = container.Command?.ToList() ?? [],
            Args = container.Args?.ToList() ?? [],
            Env = env,
            WorkingDir = container.WorkingDir,
            Mounts = mounts,
            Stdin = container.Stdin == true,
            StdinOnce = container.StdinOnce == true,
            Limits = LimitsOf(container),
        };
    }

    public static CgroupLimits LimitsOf(V1Container container)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        return new CgroupLimits(
            CpuRequestMillicores: Millicores(requests, "cpu"),
            CpuLimitMillicores: Millicores(limits, "cpu"),
            MemoryLimitBytes: limits is not null && limits.TryGetValue("memory", out var memory) ? memory.ToInt64() : null,
            PidsLimit: DefaultPidsLimit);
    }

    private static long? Millicores(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var q) ? (long)Math.Ceiling(q.ToDecimal() * 1000) : null;

    private async Task<string> ResolveAsync(V1Pod pod, V1EnvVar variable, string? podIp, string? hostIp, CancellationToken cancellationToken)
    {
        var from = variable.ValueFrom;
        if (from is null)
        {
            return variable.Value ?? "";
        }

        if (from.FieldRef is { } field)
        {
            return FieldValue(pod, field.FieldPath, podIp, hostIp);
        }

        if (from.ConfigMapKeyRef is { } configMapKey)
        {
            var values = await LoadAsync(pod, configMapKey.Name, null, cancellationToken).ConfigureAwait(false);
            return values.TryGetValue(configMapKey.Key, out var value) || configMapKey.Optional == true
                ? value ?? ""
                : throw new InvalidOperationException($"couldn't find key {configMapKey.Key} in ConfigMap {pod.Namespace()}/{configMapKey.Name}");
        }

        if (from.SecretKeyRef is { } secretKey)
        {
            var values = await LoadAsync(pod, null, secretKey.Name, cancellationToken).ConfigureAwait(false);
            return values.TryGetValue(secretKey.Key, out var value) || secretKey.Optional == true
                ? value ?? ""
                : throw new InvalidOperationException($"couldn't find key {secretKey.Key} in Secret {pod.Namespace()}/{secretKey.Name}");
        }

        return "";
    }

    /// <summary>The downward API's fields.</summary>
    private static string FieldValue(V1Pod pod, string path, string? podIp, string? hostIp)
    {
        if (path.StartsWith("metadata.labels['", StringComparison.Ordinal))
        {
            return pod.Metadata.Labels is { } labels && labels.TryGetValue(path[17..^2], out var label) ? label : "";
        }

        if (path.StartsWith("metadata.annotations['", StringComparison.Ordinal))
        {
            return pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(path[22..^2], out var annotation) ? annotation : "";
        }

        return path switch
        {
            "metadata.name" => pod.Name(),
            "metadata.namespace" => pod.Namespace(),
            "metadata.uid" => pod.Uid(),
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "",
            "status.podIP" => podIp ?? "",
            "status.hostIP" => hostIp ?? "",
            _ => throw new InvalidOperationException($"unsupported fieldRef path {path}"),
        };
    }

    private async Task<Dictionary<string, string>> LoadAsync(V1Pod pod, string? configMap, string? secret, CancellationToken cancellationToken)
    {
        if (configMap is not null)
        {
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync(configMap, pod.Namespace(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Dictionary<string, string>(map.Data ?? new Dictionary<string, string>());
        }

        if (secret is not null)
        {
            var s = await client.CoreV1.ReadNamespacedSecretAsync(secret, pod.Namespace(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return (s.Data ?? new Dictionary<string, byte[]>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value));
        }

        return [];
    }

    /// <summary>Makes a volume exist on the host and returns its path: emptyDir, hostPath, configMap and secret.</summary>
    private async Task<string> MaterialiseAsync(V1Pod pod, V1Volume volume, CancellationToken cancellationToken)
    {
        if (volume.HostPath is { } hostPath)
        {
            if (hostPath.Type is "DirectoryOrCreate")
            {
                Directory.CreateDirectory(hostPath.Path);
            }

            return hostPath.Path;
        }

        var dir = Path.Combine(volumeRoot, pod.Uid(), volume.Name);
        Directory.CreateDirectory(dir);
        if (volume.ConfigMap is not null || volume.Secret is not null)
        {
            var values = await LoadAsync(pod, volume.ConfigMap?.Name, volume.Secret?.SecretName, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in values)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, key), value, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (volume.EmptyDir is null)
        {
            throw new InvalidOperationException($"volume \"{volume.Name}\": only emptyDir, hostPath, configMap and secret volumes are supported");
        }

        return dir;
    }

    /// <summary>Writes the pod's resolv.conf beside its volumes (a volume name is a DNS label, so it cannot be called resolv.conf).</summary>
    private async Task<string> WriteResolvConfAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(volumeRoot, pod.Uid());
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "resolv.conf");
        await File.WriteAllTextAsync(path, (dns ?? PodDns.Default).For(pod).Render(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    public void RemoveVolumes(string podUid)
    {
        var dir = Path.Combine(volumeRoot, podUid);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
