using System.Net;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// One ready address of a Service's endpoint slices as DNS names it: its hostname when the endpoint has one,
/// otherwise its address with dashes (CoreDNS's <c>endpoint_pod_names</c> off), and the slice's ports.
/// </summary>
public sealed record ServiceEndpoint(string Label, IPAddress Address, IReadOnlyList<(string Name, string Protocol, int Port)> Ports);
