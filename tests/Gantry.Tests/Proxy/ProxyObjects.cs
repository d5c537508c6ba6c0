using k8s.Models;

namespace Gantry.Tests.Proxy;

/// <summary>Services and EndpointSlices as the API serves them, with only what a test varies spelled out.</summary>
internal static class ProxyObjects
{
    public static V1Service Service(
        string name,
        string clusterIp = "10.96.0.10",
        string ns = "default",
        string type = "ClusterIP",
        params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIp,
            ClusterIPs = [clusterIp],
            Ports = ports.Length > 0 ? ports : [Port("http", 80, "web")],
            SessionAffinity = "None",
            ExternalTrafficPolicy = type is "NodePort" or "LoadBalancer" ? "Cluster" : null,
            InternalTrafficPolicy = "Cluster",
        },
    };

    public static V1ServicePort Port(string name, int port, string targetPort, int? nodePort = null, string protocol = "TCP") => new()
    {
        Name = name,
        Port = port,
        TargetPort = targetPort,
        NodePort = nodePort,
        Protocol = protocol,
    };

    public static V1EndpointSlice Slice(string service, string ns = "default", string portName = "http", int port = 8080, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{service}-abcde",
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = portName, Port = port, Protocol = "TCP" }],
        Endpoints = endpoints,
    };

    public static V1Endpoint Endpoint(string ip, string node = "node-a", bool ready = true, bool? serving = null, bool terminating = false) => new()
    {
        Addresses = [ip],
        NodeName = node,
        Conditions = new V1EndpointConditions { Ready = ready, Serving = serving ?? ready, Terminating = terminating },
    };
}
