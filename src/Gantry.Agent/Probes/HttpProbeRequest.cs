using k8s.Models;

namespace Gantry.Agent.Probes;

/// <summary>
/// The GET an httpGet probe sends: scheme (lower-cased, http by default), host (the pod's IP
/// unless the probe names one), port (a number or a named container port), path, and the
/// probe's headers. Built as kubelet's NewRequestForHTTPGetAction builds it.
/// </summary>
public sealed record HttpProbeRequest(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The request for <paramref name="action"/>; throws <see cref="InvalidOperationException"/> when its port cannot be resolved.</summary>
    public static HttpProbeRequest For(V1HTTPGetAction action, V1Container container, string? podIp)
    {
        ArgumentNullException.ThrowIfNull(action);
        var scheme = string.IsNullOrEmpty(action.Scheme) ? "http" : action.Scheme.ToLowerInvariant();
        var host = string.IsNullOrEmpty(action.Host) ? podIp ?? "" : action.Host;
        var port = ProbePorts.Resolve(action.Port, container);
        var path = action.Path ?? "";
        if (path.Length > 0 && path[0] != '/')
        {
            path = "/" + path;
        }

        var url = new Uri($"{scheme}://{ProbePorts.JoinHostPort(host, port)}{path}");
        var headers = (action.HttpHeaders ?? []).Select(h => KeyValuePair.Create(h.Name, h.Value ?? "")).ToList();
        return new HttpProbeRequest(url, headers);
    }
}
