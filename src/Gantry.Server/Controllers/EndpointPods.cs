using System.Net;
using System.Net.Sockets;
using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Which pods back a Service and how, shared by the Endpoints and EndpointSlice controllers
/// (Kubernetes' <c>endpointutil</c> and <c>podutil.FindPort</c>).
/// </summary>
public static class EndpointPods
{
    /// <summary>
    /// The pods a Service selects: only Services with a selector get endpoints from the controllers
    /// (those without one, like <c>kubernetes</c>, have theirs written by someone else).
    /// </summary>
    public static bool HasSelector(V1Service service) => service.Spec?.Selector is { Count: > 0 };

    public static bool Selects(V1Service service, V1Pod pod) =>
        HasSelector(service) && pod.Namespace() == service.Namespace() && LabelSelector.FromSet(service.Spec!.Selector).Matches(pod.Metadata);

    /// <summary>
    /// <c>ShouldPodBeInEndpoints</c>: not terminal, has an IP, and not being deleted unless
    /// <paramref name="includeTerminating"/>.
    /// </summary>
    public static bool ShouldBeInEndpoints(V1Pod pod, bool includeTerminating) =>
        !PodState.IsTerminal(pod) && Address(pod) is not null && (includeTerminating || pod.Metadata.DeletionTimestamp is null);

    /// <summary>The pod's IPv4 address, the family of this cluster's Services.</summary>
    public static string? Address(V1Pod pod)
    {
        var candidates = (pod.Status?.PodIPs ?? []).Select(p => p.Ip).Prepend(pod.Status?.PodIP);
        return candidates.FirstOrDefault(ip => IPAddress.TryParse(ip, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork);
    }

    /// <summary><c>ShouldSetHostname</c>: a pod with a hostname whose subdomain is the Service's name.</summary>
    public static bool ShouldSetHostname(V1Pod pod, V1Service service) =>
        !string.IsNullOrEmpty(pod.Spec?.Hostname) && pod.Spec.Subdomain == service.Name() && pod.Namespace() == service.Namespace();

    /// <summary>
    /// <c>FindPort</c>: a numeric target port as it is; a named one is the port of that name and the
    /// service port's protocol in the pod's containers (sidecar init containers included). Null when
    /// the pod has no such port: it then does not serve this service port.
    /// </summary>
    public static int? FindPort(V1Pod pod, V1ServicePort servicePort)
    {
        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return servicePort.Port;
        }

        if (int.TryParse(target, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var protocol = servicePort.Protocol ?? "TCP";
        var containers = (pod.Spec?.Containers ?? []).Concat((pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"));
        return containers.SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == target && (p.Protocol ?? "TCP") == protocol)?.ContainerPort;
    }

    /// <summary>The reference to the pod an address stands for.</summary>
    public static V1ObjectReference TargetRef(V1Pod pod) =>
        new() { Kind = "Pod", NamespaceProperty = pod.Namespace(), Name = pod.Name(), Uid = pod.Uid() };
}
