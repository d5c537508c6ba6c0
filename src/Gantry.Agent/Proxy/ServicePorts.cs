using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Gantry.Agent.Proxy;

/// <summary>Reads the ports a Service asks the proxy for, as kube-proxy's service change tracker does.</summary>
public static class ServicePorts
{
    /// <summary>sessionAffinityConfig.clientIP.timeoutSeconds when the Service leaves it out: three hours.</summary>
    public const int DefaultAffinityTimeoutSeconds = 10800;

    /// <summary>
    /// The service's IPv4 ports. Headless services (<c>clusterIP: None</c>), ExternalName services and services without an
    /// IPv4 cluster IP yet have none: the proxy has nothing to capture for them, DNS answers for them instead.
    /// </summary>
    public static IReadOnlyList<ProxyServicePort> From(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec;
        if (spec is null || spec.Type == "ExternalName")
        {
            return [];
        }

        var clusterIp = (spec.ClusterIPs is { Count: > 0 } ips ? ips : [spec.ClusterIP ?? ""]).FirstOrDefault(IsIPv4);
        if (clusterIp is null)
        {
            return [];
        }

        var external = (spec.ExternalIPs ?? [])
            .Concat((service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? ""))
            .Where(IsIPv4)
            .Select(ip => IPAddress.Parse(ip).ToString())
            .Distinct()
            .ToList();
        int? affinity = spec.SessionAffinity == "ClientIP"
            ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultAffinityTimeoutSeconds
            : null;
        var address = IPAddress.Parse(clusterIp).ToString();
        var ports = new List<ProxyServicePort>();
        foreach (var port in spec.Ports ?? [])
        {
            var servicePort = new ProxyServicePort(
                service.Namespace() ?? "default",
                service.Name(),
                port.Name ?? "",
                (port.Protocol ?? "TCP").ToLowerInvariant(),
                address,
                port.Port,
                port.NodePort ?? 0,
                external,
                affinity,
                ExternalPolicyLocal: false,
                InternalPolicyLocal: spec.InternalTrafficPolicy == "Local");

            // externalTrafficPolicy only means something for traffic that can come from outside.
            ports.Add(servicePort with { ExternalPolicyLocal = servicePort.ExternallyAccessible && spec.ExternalTrafficPolicy == "Local" });
        }

        return ports;
    }

    private static bool IsIPv4(string value) =>
        IPAddress.TryParse(value, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork;
}
