using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The <c>kube-dns</c> Service in <c>kube-system</c> that pods' resolv.conf names, as kubeadm installs it: the tenth
/// address of the service range (10.96.0.10), ports <c>dns</c> 53/UDP and <c>dns-tcp</c> 53/TCP, label
/// <c>k8s-app: kube-dns</c>, no selector. Its Endpoints and EndpointSlice point at the server's own DNS listener and
/// are rewritten at every start (the listener's port may change); the slice carries its own managed-by label, so the
/// EndpointSlice controller leaves it alone, and the Endpoints skip mirroring.
/// </summary>
public static class ClusterDnsObjects
{
    public const string Name = "kube-dns";
    public const string Namespace = "kube-system";
    public const string ManagedBy = "gantry-dns";

    /// <summary>The tenth address of the service range, where kubeadm puts the cluster DNS.</summary>
    public static IPAddress ServiceIp(string serviceClusterIpRange)
    {
        var network = IPNetwork.Parse(serviceClusterIpRange);
        var bytes = network.BaseAddress.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) + 10;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    /// <summary>Creates the Service, Endpoints and EndpointSlice, or brings ports and addresses up to date.</summary>
    public static async Task EnsureAsync(ObjectRegistry registry, IPAddress serviceIp, IPEndPoint listener, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(listener);
        await EnsureAsync(registry, ResourceCatalog.Get("", "services"), Service(serviceIp, listener.Port), (current, wanted) =>
            current["spec"]!["ports"] = wanted["spec"]!["ports"]!.DeepClone(), cancellationToken).ConfigureAwait(false);
        await EnsureAsync(registry, ResourceCatalog.Get("", "endpoints"), Endpoints(listener), (current, wanted) =>
            current["subsets"] = wanted["subsets"]!.DeepClone(), cancellationToken).ConfigureAwait(false);
        await EnsureAsync(registry, ResourceCatalog.Get("discovery.k8s.io", "endpointslices"), EndpointSlice(listener), (current, wanted) =>
        {
            current["endpoints"] = wanted["endpoints"]!.DeepClone();
            current["ports"] = wanted["ports"]!.DeepClone();
        }, cancellationToken).ConfigureAwait(false);
    }

    public static JsonObject Service(IPAddress serviceIp, int targetPort) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject
            {
                ["k8s-app"] = "kube-dns",
                ["kubernetes.io/cluster-service"] = "true",
                ["kubernetes.io/name"] = "KubeDNS",
            },
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = serviceIp.ToString(),
            ["sessionAffinity"] = "None",
            ["ports"] = new JsonArray(
                new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = targetPort },
                new JsonObject { ["name"] = "dns-tcp", ["port"] = 53, ["protocol"] = "TCP", ["targetPort"] = targetPort }),
        },
    };

    public static JsonObject Endpoints(IPEndPoint listener) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true", ["k8s-app"] = "kube-dns" },
        },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = listener.Address.ToString() }),
            ["ports"] = Ports(listener.Port),
        }),
    };

    public static JsonObject EndpointSlice(IPEndPoint listener) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject
            {
                ["kubernetes.io/service-name"] = Name,
                ["endpointslice.kubernetes.io/managed-by"] = ManagedBy,
                ["k8s-app"] = "kube-dns",
            },
        },
        ["addressType"] = "IPv4",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(listener.Address.ToString()),
            ["conditions"] = new JsonObject { ["ready"] = true },
        }),
        ["ports"] = Ports(listener.Port),
    };

    private static JsonArray Ports(int port) => new(
        new JsonObject { ["name"] = "dns", ["port"] = port, ["protocol"] = "UDP" },
        new JsonObject { ["name"] = "dns-tcp", ["port"] = port, ["protocol"] = "TCP" });

    /// <summary>Creates <paramref name="wanted"/>, or copies into the stored object what <paramref name="update"/> copies.</summary>
    private static async Task EnsureAsync(ObjectRegistry registry, ResourceType type, JsonObject wanted, Action<JsonObject, JsonObject> update, CancellationToken cancellationToken)
    {
        var options = new WriteOptions(FieldManager: "gantry");
        if (registry.Get(type, Namespace, Name) is null)
        {
            try
            {
                await registry.CreateAsync(type, Namespace, wanted, options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Created concurrently: brought up to date below.
            }
        }

        await registry.MutateAsync(type, Namespace, Name, current =>
        {
            update(current, wanted);
            return current;
        }, null, null, options, cancellationToken).ConfigureAwait(false);
    }
}
