using System.Globalization;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// What the EndpointSlice controller wants for a Service (its reconciler's desired state): every
/// selected pod with an IP, terminating ones included, as an endpoint with the ready, serving and
/// terminating conditions, grouped by the ports the pod serves, at most
/// <see cref="MaxEndpointsPerSlice"/> to a slice. A Service with no such pod gets one empty
/// placeholder slice. A pure function of the Service and pods.
/// </summary>
public static class EndpointSliceMath
{
    /// <summary>The controller's default <c>--max-endpoints-per-slice</c>.</summary>
    public const int MaxEndpointsPerSlice = 100;

    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ControllerName = "endpointslice-controller.k8s.io";
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    public static List<EndpointSliceContent> Desired(V1Service service, IEnumerable<V1Pod> pods, int maxPerSlice = MaxEndpointsPerSlice)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerSlice, 1);
        var groups = new Dictionary<string, (List<Discoveryv1EndpointPort> Ports, List<(string Ip, string Name, V1Endpoint Endpoint)> Endpoints)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => EndpointPods.Selects(service, p) && EndpointPods.ShouldBeInEndpoints(p, includeTerminating: true)))
        {
            var ports = PortsOf(service, pod);
            var key = PortKey(ports);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (ports, []);
            }

            var ip = EndpointPods.Address(pod)!;
            group.Endpoints.Add((ip, pod.Name(), ToEndpoint(service, pod, ip)));
        }

        var desired = new List<EndpointSliceContent>();
        foreach (var (_, (ports, endpoints)) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = endpoints.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Endpoint).ToList();
            desired.AddRange(ordered.Chunk(maxPerSlice).Select(chunk => new EndpointSliceContent(ports, chunk)));
        }

        if (desired.Count == 0)
        {
            desired.Add(new EndpointSliceContent([], []));
        }

        return desired;
    }

    /// <summary>
    /// <c>podToEndpoint</c>: serving is the pod's readiness, terminating its deletion, and ready is
    /// serving and not terminating, unless the Service publishes not-ready addresses.
    /// </summary>
    public static V1Endpoint ToEndpoint(V1Service service, V1Pod pod, string ip)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pod);
        var serving = PodState.IsReady(pod);
        var terminating = pod.Metadata.DeletionTimestamp is not null;
        var ready = service.Spec?.PublishNotReadyAddresses == true || (serving && !terminating);
        return new V1Endpoint
        {
            Addresses = [ip],
            Conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
            TargetRef = EndpointPods.TargetRef(pod),
            NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            Hostname = EndpointPods.ShouldSetHostname(pod, service) ? pod.Spec!.Hostname : null,
        };
    }

    /// <summary><c>getEndpointPorts</c>: the service ports the pod serves, each with the pod's port number.</summary>
    public static List<Discoveryv1EndpointPort> PortsOf(V1Service service, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ports = new List<Discoveryv1EndpointPort>();
        foreach (var servicePort in service.Spec?.Ports ?? [])
        {
            if (EndpointPods.FindPort(pod, servicePort) is { } number)
            {
                ports.Add(new Discoveryv1EndpointPort
                {
                    Name = servicePort.Name ?? "",
                    Port = number,
                    Protocol = servicePort.Protocol ?? "TCP",
                    AppProtocol = servicePort.AppProtocol,
                });
            }
        }

        return ports;
    }

    public static string PortKey(IEnumerable<Discoveryv1EndpointPort> ports) =>
        string.Join(",", ports
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}/{p.Port}/{p.Protocol}/{p.AppProtocol}"))
            .Order(StringComparer.Ordinal));

    /// <summary>
    /// <c>setEndpointSliceLabels</c>: the Service's labels, the headless marker, and the two labels that
    /// tie the slice to its Service and to this controller.
    /// </summary>
    public static Dictionary<string, string> Labels(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in service.Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (key is not (ServiceNameLabel or ManagedByLabel))
            {
                labels[key] = value;
            }
        }

        if (service.Spec?.ClusterIP == "None")
        {
            labels[HeadlessLabel] = "";
        }

        labels[ServiceNameLabel] = service.Name();
        labels[ManagedByLabel] = ControllerName;
        return labels;
    }
}
