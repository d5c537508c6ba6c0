using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>What one EndpointSlice of a Service should hold: one port set and at most 100 endpoints serving it.</summary>
public sealed record EndpointSliceContent(IReadOnlyList<Discoveryv1EndpointPort> Ports, IReadOnlyList<V1Endpoint> Endpoints)
{
    /// <summary>Identifies the port set, so that a slice keeps serving the same ports across syncs.</summary>
    public string PortKey => EndpointSliceMath.PortKey(Ports);
}
