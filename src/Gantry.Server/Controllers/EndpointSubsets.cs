using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// What the Endpoints controller writes for a Service (<c>syncService</c>): each selected pod's address,
/// ready or not, under the ports it serves, packed as <c>RepackSubsets</c> does: one subset per distinct
/// set of addresses, carrying every port those addresses share. A pure function of the Service and pods.
/// </summary>
public static class EndpointSubsets
{
    public static List<V1EndpointSubset> Compute(V1Service service, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pods);
        var spec = service.Spec ?? new V1ServiceSpec();
        var tolerateUnready = spec.PublishNotReadyAddresses == true;
        var servicePorts = spec.Ports ?? [];
        var headless = spec.ClusterIP == "None";

        // port (or the no-port sentinel) -> address -> ready
        var byPort = new Dictionary<PortKey, Dictionary<AddressKey, (V1EndpointAddress Address, bool Ready)>>();
        foreach (var pod in pods.Where(p => EndpointPods.Selects(service, p) && EndpointPods.ShouldBeInEndpoints(p, tolerateUnready)))
        {
            var address = new V1EndpointAddress
            {
                Ip = EndpointPods.Address(pod),
                NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
                TargetRef = EndpointPods.TargetRef(pod),
                Hostname = EndpointPods.ShouldSetHostname(pod, service) ? pod.Spec!.Hostname : null,
            };
            var ready = tolerateUnready || PodState.IsReady(pod);
            if (servicePorts.Count == 0)
            {
                if (headless)
                {
                    Add(byPort, PortKey.None, address, ready);
                }

                continue;
            }

            foreach (var servicePort in servicePorts)
            {
                if (EndpointPods.FindPort(pod, servicePort) is { } number)
                {
                    Add(byPort, new PortKey(servicePort.Name ?? "", number, servicePort.Protocol ?? "TCP", servicePort.AppProtocol), address, ready);
                }
            }
        }

        return Repack(byPort);
    }

    private static void Add(
        Dictionary<PortKey, Dictionary<AddressKey, (V1EndpointAddress Address, bool Ready)>> byPort, PortKey port, V1EndpointAddress address, bool ready)
    {
        if (!byPort.TryGetValue(port, out var addresses))
        {
            byPort[port] = addresses = [];
        }

        var key = new AddressKey(address.Ip, address.TargetRef?.Uid ?? "");
        // A ready entry wins over a not-ready one for the same address (mapAddressesByPort).
        if (ready || !addresses.ContainsKey(key))
        {
            addresses[key] = (address, ready);
        }
    }

    private static List<V1EndpointSubset> Repack(Dictionary<PortKey, Dictionary<AddressKey, (V1EndpointAddress Address, bool Ready)>> byPort)
    {
        var groups = new Dictionary<string, (Dictionary<AddressKey, (V1EndpointAddress Address, bool Ready)> Addresses, List<PortKey> Ports)>(StringComparer.Ordinal);
        foreach (var (port, addresses) in byPort)
        {
            var signature = string.Join(";", addresses.OrderBy(a => a.Key).Select(a => $"{a.Key.Ip}/{a.Key.Uid}/{a.Value.Ready}"));
            if (!groups.TryGetValue(signature, out var group))
            {
                groups[signature] = group = (addresses, []);
            }

            if (port != PortKey.None)
            {
                group.Ports.Add(port);
            }
        }

        return groups.Values
            .Select(g => new V1EndpointSubset
            {
                Addresses = NullIfEmpty(g.Addresses.Where(a => a.Value.Ready).OrderBy(a => a.Key).Select(a => a.Value.Address)),
                NotReadyAddresses = NullIfEmpty(g.Addresses.Where(a => !a.Value.Ready).OrderBy(a => a.Key).Select(a => a.Value.Address)),
                Ports = NullIfEmpty(g.Ports.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port).ThenBy(p => p.Protocol, StringComparer.Ordinal)
                    .Select(p => new Corev1EndpointPort { Name = p.Name.Length == 0 ? null : p.Name, Port = p.Port, Protocol = p.Protocol, AppProtocol = p.AppProtocol })),
            })
            .OrderBy(s => s.Addresses?.FirstOrDefault()?.Ip ?? s.NotReadyAddresses?.FirstOrDefault()?.Ip, StringComparer.Ordinal)
            .ThenBy(s => s.Ports?.FirstOrDefault()?.Port ?? 0)
            .ToList();
    }

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }

    private readonly record struct PortKey(string Name, int Port, string Protocol, string? AppProtocol)
    {
        /// <summary>The sentinel under which a headless Service without ports lists its addresses.</summary>
        public static PortKey None { get; } = new("", -1, "", null);
    }

    private readonly record struct AddressKey(string Ip, string Uid) : IComparable<AddressKey>
    {
        public int CompareTo(AddressKey other)
        {
            var byIp = string.CompareOrdinal(Ip, other.Ip);
            return byIp != 0 ? byIp : string.CompareOrdinal(Uid, other.Uid);
        }
    }
}
