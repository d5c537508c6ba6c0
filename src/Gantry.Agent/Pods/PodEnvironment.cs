using System.Text;
using Gantry.Agent.Runtimes;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>A container's environment as the kubelet resolves it: <c>envFrom</c>, then <c>env</c> with its <c>valueFrom</c> sources.</summary>
public sealed class PodEnvironment(PodConfigSources sources)
{
    /// <exception cref="ContainerConfigException">A source the container needs is missing.</exception>
    public async Task<List<EnvVar>> ResolveAsync(V1Pod pod, V1Container container, string? podIp, string? hostIp, CancellationToken cancellationToken)
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

        return env;
    }

    private async Task<string> ResolveAsync(V1Pod pod, V1EnvVar variable, string? podIp, string? hostIp, CancellationToken cancellationToken)
    {
        var from = variable.ValueFrom;
        if (from is null)
        {
            return variable.Value ?? "";
        }

        if (from.FieldRef is { } field)
        {
            return PodFieldPaths.Value(pod, field.FieldPath, podIp, hostIp);
        }

        if (from.ConfigMapKeyRef is { } configMapKey)
        {
            var values = await LoadAsync(pod, configMapKey.Name, null, cancellationToken).ConfigureAwait(false);
            return values.TryGetValue(configMapKey.Key, out var value) || configMapKey.Optional == true
                ? value ?? ""
                : throw new ContainerConfigException($"couldn't find key {configMapKey.Key} in ConfigMap {pod.Namespace()}/{configMapKey.Name}");
        }

        if (from.SecretKeyRef is { } secretKey)
        {
            var values = await LoadAsync(pod, null, secretKey.Name, cancellationToken).ConfigureAwait(false);
            return values.TryGetValue(secretKey.Key, out var value) || secretKey.Optional == true
                ? value ?? ""
                : throw new ContainerConfigException($"couldn't find key {secretKey.Key} in Secret {pod.Namespace()}/{secretKey.Name}");
        }

        return "";
    }

    private async Task<Dictionary<string, string>> LoadAsync(V1Pod pod, string? configMap, string? secret, CancellationToken cancellationToken)
    {
        if (configMap is not null)
        {
            var map = await sources.ConfigMapAsync(pod, configMap, cancellationToken).ConfigureAwait(false)
                ?? throw new ContainerConfigException($"configmap \"{configMap}\" not found");
            return new Dictionary<string, string>(map.Data ?? new Dictionary<string, string>());
        }

        if (secret is not null)
        {
            var s = await sources.SecretAsync(pod, secret, cancellationToken).ConfigureAwait(false)
                ?? throw new ContainerConfigException($"secret \"{secret}\" not found");
            return (s.Data ?? new Dictionary<string, byte[]>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value));
        }

        return [];
    }
}
