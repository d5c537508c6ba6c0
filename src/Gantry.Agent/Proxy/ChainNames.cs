using System.Security.Cryptography;
using System.Text;

namespace Gantry.Agent.Proxy;

/// <summary>
/// Names of per-service and per-endpoint chains and sets, made exactly as kube-proxy's nftables mode makes them
/// (<c>service-ULMVA6XW-ns1/svc1/tcp/p80</c>), so that whoever knows one table can read the other.
/// </summary>
public static class ChainNames
{
    /// <summary>knftables' NameLengthMax less the longest prefix.</summary>
    private const int BaseLengthMax = 256 - 16;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Chain of the endpoints for <c>Cluster</c> traffic policy.</summary>
    public static string Cluster(ProxyServicePort port) => "service-" + ServiceBase(port);

    /// <summary>Chain of the endpoints for <c>Local</c> traffic policy.</summary>
    public static string Local(ProxyServicePort port) => "local-" + ServiceBase(port);

    /// <summary>Chain for traffic from outside the cluster (node ports, external IPs).</summary>
    public static string External(ProxyServicePort port) => "external-" + ServiceBase(port);

    /// <summary>Chain that DNATs to one endpoint.</summary>
    public static string Endpoint(ProxyServicePort port, ProxyEndpoint endpoint) => "endpoint-" + EndpointBase(port, endpoint);

    /// <summary>Set of client addresses that stick to one endpoint.</summary>
    public static string Affinity(ProxyServicePort port, ProxyEndpoint endpoint) => "affinity-" + EndpointBase(port, endpoint);

    /// <summary>Per-service and per-endpoint chains carry a '/', which none of the fixed chains do.</summary>
    public static bool IsServiceChain(string chain) => chain.Contains('/', StringComparison.Ordinal);

    private static string ServiceBase(ProxyServicePort port) =>
        HashAndTruncate($"{port.Namespace}/{port.Service}/{port.Protocol}/{port.PortName}");

    private static string EndpointBase(ProxyServicePort port, ProxyEndpoint endpoint) =>
        HashAndTruncate($"{port.Namespace}/{port.Service}/{port.Protocol}/{port.PortName}__{endpoint.Ip.Replace(':', '.')}/{endpoint.Port}");

    /// <summary>
    /// Prefixes the name with 8 base32 characters of its SHA-256, which keeps it unique if it must be cut and tells
    /// apart names that differ in one digit at a glance.
    /// </summary>
    private static string HashAndTruncate(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var prefixed = Base32Prefix(hash) + "-" + name;
        return prefixed.Length > BaseLengthMax ? prefixed[..(BaseLengthMax - 3)] + "..." : prefixed;
    }

    /// <summary>The first 8 characters of the standard base32 encoding: exactly the first 40 bits.</summary>
    private static string Base32Prefix(byte[] hash)
    {
        var bits = 0UL;
        for (var i = 0; i < 5; i++)
        {
            bits = (bits << 8) | hash[i];
        }

        var text = new StringBuilder(8);
        for (var shift = 35; shift >= 0; shift -= 5)
        {
            text.Append(Base32Alphabet[(int)((bits >> shift) & 31)]);
        }

        return text.ToString();
    }
}
