using System.Text;
using Gantry.Agent.Runtimes;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A container's environment as the kubelet's <c>makeEnvironmentVariables</c> resolves it: <c>envFrom</c>, then <c>env</c>
/// in order (a later variable of a name replaces an earlier one), each <c>env</c> value with its <c>$(VAR)</c> references
/// to the variables before it and to the service variables expanded. The service variables
/// (<see cref="ServiceEnvironment"/>) come first, unless the container sets the same names itself.
/// </summary>
/// <param name="configMap">The config map of the pod's namespace, or null when there is none of that name.</param>
/// <param name="secret">The secret of the pod's namespace, or null when there is none of that name.</param>
/// <param name="allocatable">The node's allocatable resources, which stand in for the limits a container does not set.</param>
/// <param name="services">
/// Every service the agent knows, from a cache (a container start must not wait for the API server), or null while the
/// cache has not listed them yet. Without a cache the containers get no service variables, as with a kubelet that has
/// no service lister.
/// </param>
public sealed class PodEnvironment(
    Func<V1Pod, string, CancellationToken, Task<V1ConfigMap?>> configMap,
    Func<V1Pod, string, CancellationToken, Task<V1Secret?>> secret,
    IDictionary<string, ResourceQuantity> allocatable,
    Func<IEnumerable<V1Service>?>? services = null)
{
    public PodEnvironment(PodConfigSources sources, IDictionary<string, ResourceQuantity> allocatable, Func<IEnumerable<V1Service>?>? services = null)
        : this((sources ?? throw new ArgumentNullException(nameof(sources))).ConfigMapAsync, sources.SecretAsync, allocatable, services)
    {
    }

    private const string ServicesNotListed = "services have not yet been read at least once, cannot construct envvars";

    /// <exception cref="ContainerConfigException">A source the container needs is missing, or a field it names is not offered.</exception>
    public async Task<List<EnvVar>> ResolveAsync(V1Pod pod, V1Container container, string? podIp, string? hostIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);

        // As the kubelet, a container waits for the first list rather than start without the variables it would get later.
        IEnumerable<V1Service> known = services is null ? [] : services() ?? throw new ContainerConfigException(ServicesNotListed);
        var serviceVariables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in ServiceEnvironment.For(pod.Namespace(), pod.Spec.EnableServiceLinks != false, known))
        {
            serviceVariables[variable.Name] = variable.Value;
        }

        var loaded = new Loaded(pod, cancellationToken);
        var defined = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            // Null when the source is missing and optional: it gives no variables.
            var values = source.ConfigMapRef is { } mapRef
                ? await ConfigMapDataAsync(loaded, mapRef.Name, mapRef.Optional == true).ConfigureAwait(false)
                : source.SecretRef is { } secretRef ? await SecretDataAsync(loaded, secretRef.Name, secretRef.Optional == true).ConfigureAwait(false) : null;
            foreach (var (key, value) in values ?? new Dictionary<string, string>())
            {
                defined[(source.Prefix ?? "") + key] = value;
            }
        }

        string? Lookup(string name) =>
            defined.TryGetValue(name, out var value) || serviceVariables.TryGetValue(name, out value) ? value : null;

        foreach (var variable in container.Env ?? [])
        {
            // Only a literal value is expanded; what a source gives is taken as it is. A missing optional source sets nothing.
            var value = !string.IsNullOrEmpty(variable.Value)
                ? EnvExpansion.Expand(variable.Value, Lookup)
                : variable.ValueFrom is { } from ? await SourceAsync(loaded, container, from, podIp, hostIp).ConfigureAwait(false) : "";
            if (value is not null)
            {
                defined[variable.Name] = value;
            }
        }

        return serviceVariables.Where(kv => !defined.ContainsKey(kv.Key)).Concat(defined).Select(kv => new EnvVar(kv.Key, kv.Value)).ToList();
    }

    private async Task<string?> SourceAsync(Loaded loaded, V1Container container, V1EnvVarSource from, string? podIp, string? hostIp)
    {
        var pod = loaded.Pod;
        if (from.FieldRef is { } field)
        {
            return PodFieldPaths.Value(pod, field.FieldPath, podIp, hostIp);
        }

        if (from.ResourceFieldRef is { } resource)
        {
            return ContainerResourceFields.Value(resource, pod, container, allocatable);
        }

        if (from.ConfigMapKeyRef is { } mapKey)
        {
            var optional = mapKey.Optional == true;
            var data = await ConfigMapDataAsync(loaded, mapKey.Name, optional).ConfigureAwait(false);
            return data is null ? null
                : data.TryGetValue(mapKey.Key, out var value) ? value
                : optional ? null
                : throw new ContainerConfigException($"couldn't find key {mapKey.Key} in ConfigMap {pod.Namespace()}/{mapKey.Name}");
        }

        if (from.SecretKeyRef is { } secretKey)
        {
            var optional = secretKey.Optional == true;
            var data = await SecretDataAsync(loaded, secretKey.Name, optional).ConfigureAwait(false);
            return data is null ? null
                : data.TryGetValue(secretKey.Key, out var value) ? value
                : optional ? null
                : throw new ContainerConfigException($"couldn't find key {secretKey.Key} in Secret {pod.Namespace()}/{secretKey.Name}");
        }

        return "";
    }

    /// <summary>The config map's data; null when it is missing and optional.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> ConfigMapDataAsync(Loaded loaded, string name, bool optional)
    {
        if (!loaded.ConfigMaps.TryGetValue(name, out var data))
        {
            var map = await configMap(loaded.Pod, name, loaded.CancellationToken).ConfigureAwait(false);
            data = map is null ? null : new Dictionary<string, string>(map.Data ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            loaded.ConfigMaps[name] = data;
        }

        return data is not null || optional ? data : throw new ContainerConfigException($"configmap \"{name}\" not found");
    }

    /// <summary>The secret's data as text; null when it is missing and optional.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> SecretDataAsync(Loaded loaded, string name, bool optional)
    {
        if (!loaded.Secrets.TryGetValue(name, out var data))
        {
            var s = await secret(loaded.Pod, name, loaded.CancellationToken).ConfigureAwait(false);
            data = s?.Data?.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal)
                ?? (s is null ? null : new Dictionary<string, string>(StringComparer.Ordinal));
            loaded.Secrets[name] = data;
        }

        return data is not null || optional ? data : throw new ContainerConfigException($"secret \"{name}\" not found");
    }

    /// <summary>What one resolution has read, so a config map or secret named twice is fetched once, as in the kubelet.</summary>
    private sealed class Loaded(V1Pod pod, CancellationToken cancellationToken)
    {
        public V1Pod Pod => pod;

        public CancellationToken CancellationToken => cancellationToken;

        public Dictionary<string, IReadOnlyDictionary<string, string>?> ConfigMaps { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, IReadOnlyDictionary<string, string>?> Secrets { get; } = new(StringComparer.Ordinal);
    }
}
