using System.Globalization;
using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The Docker-link style variables that tell a container where the services it may need are, as the kubelet's
/// <c>getServiceEnvVarMap</c> and <c>envvars.FromServices</c> make them: the API server's own service
/// (<c>default/kubernetes</c>) for every pod, and, unless the pod turns <c>enableServiceLinks</c> off, every service of
/// the pod's namespace. Only services with a cluster IP have any.
/// </summary>
public static class ServiceEnvironment
{
    private const string MasterNamespace = "default";
    private const string MasterService = "kubernetes";

    /// <summary>The variables for a pod of <paramref name="podNamespace"/>, given every service the agent knows.</summary>
    public static List<EnvVar> For(string podNamespace, bool enableServiceLinks, IEnumerable<V1Service> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var byName = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        foreach (var service in services.Where(HasClusterIp))
        {
            // A service of the pod's own namespace named "kubernetes" shadows the master's, as in the kubelet.
            if (service.Namespace() == MasterNamespace && service.Name() == MasterService)
            {
                byName.TryAdd(MasterService, service);
            }
            else if (service.Namespace() == podNamespace && enableServiceLinks)
            {
                byName[service.Name()] = service;
            }
        }

        // The kubelet hands these over as a map, in no order; by name they come out the same on every start.
        return byName.Values.OrderBy(s => s.Name(), StringComparer.Ordinal).SelectMany(Variables).ToList();
    }

    /// <summary>Validation gives a service with a cluster IP at least one port; one without is skipped rather than trusted.</summary>
    private static bool HasClusterIp(V1Service service) =>
        service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None" && service.Spec.Ports is { Count: > 0 };

    private static IEnumerable<EnvVar> Variables(V1Service service)
    {
        var prefix = VariableName(service.Name());
        var ip = service.Spec.ClusterIP;
        var ports = service.Spec.Ports;
        yield return new EnvVar($"{prefix}_SERVICE_HOST", ip);
        yield return new EnvVar($"{prefix}_SERVICE_PORT", Number(ports[0].Port));

        // Only the first port may be unnamed (validation); the named ones get a variable each as well.
        foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
        {
            yield return new EnvVar($"{prefix}_SERVICE_PORT_{VariableName(port.Name)}", Number(port.Port));
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = string.IsNullOrEmpty(ports[i].Protocol) ? "TCP" : ports[i].Protocol;
            var url = $"{protocol.ToLowerInvariant()}://{ip}:{Number(ports[i].Port)}";
            if (i == 0)
            {
                yield return new EnvVar($"{prefix}_PORT", url);
            }

            var portPrefix = $"{prefix}_PORT_{Number(ports[i].Port)}_{protocol.ToUpperInvariant()}";
            yield return new EnvVar(portPrefix, url);
            yield return new EnvVar($"{portPrefix}_PROTO", protocol.ToLowerInvariant());
            yield return new EnvVar($"{portPrefix}_PORT", Number(ports[i].Port));
            yield return new EnvVar($"{portPrefix}_ADDR", ip);
        }
    }

    private static string VariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static string Number(int port) => port.ToString(CultureInfo.InvariantCulture);
}
