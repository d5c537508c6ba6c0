using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Gantry.Server.Controllers;

/// <summary>
/// The <c>kubernetes</c> Service in <c>default</c> and its endpoints, as kube-apiserver's endpoint
/// reconciler keeps them: the first cluster IP, port 443 (<c>https</c>) to the API server's address and
/// port, no selector (no controller touches its endpoints).
/// </summary>
public static class KubernetesServiceObjects
{
    public const string Name = "kubernetes";
    public const string Namespace = "default";

    public static JsonObject Service(IPAddress clusterIp, int apiPort) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = clusterIp.ToString(),
            ["sessionAffinity"] = "None",
            ["ports"] = new JsonArray(Port(443, apiPort)),
        },
    };

    public static JsonObject Endpoints(IPAddress address, int apiPort) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = address.ToString() }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiPort, ["protocol"] = "TCP" }),
        }),
    };

    public static JsonObject EndpointSlice(IPAddress address, int apiPort) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { [EndpointSliceMath.ServiceNameLabel] = Name },
        },
        ["addressType"] = "IPv4",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(address.ToString()),
            ["conditions"] = new JsonObject { ["ready"] = true },
        }),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiPort, ["protocol"] = "TCP" }),
    };

    /// <summary>
    /// The address pods reach the API server at (kube-apiserver's <c>--advertise-address</c>): the bound
    /// address, or when bound to every interface or loopback, the first non-loopback IPv4 address of an
    /// interface that is up; loopback only when the host has nothing else.
    /// </summary>
    public static IPAddress AdvertiseAddress(IPAddress bound)
    {
        ArgumentNullException.ThrowIfNull(bound);
        if (!bound.Equals(IPAddress.Any) && !IPAddress.IsLoopback(bound))
        {
            return bound;
        }

        var found = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return found ?? IPAddress.Loopback;
    }

    private static JsonObject Port(int port, int targetPort) =>
        new() { ["name"] = "https", ["port"] = port, ["protocol"] = "TCP", ["targetPort"] = targetPort };
}
