using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>The success result of a CNI ADD (spec 1.0.0): the interfaces touched and the addresses assigned.</summary>
internal sealed record CniResult(string CniVersion, IReadOnlyList<CniInterface> Interfaces, IReadOnlyList<CniIpConfig> Ips)
{
    /// <summary>Reads a plugin's result; fields Gantry does not use (routes, dns) are ignored.</summary>
    /// <exception cref="FormatException">The output is not a CNI result.</exception>
    public static CniResult Parse(string json)
    {
        try
        {
            var obj = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a CNI result must be a JSON object");
            var version = (string?)obj["cniVersion"] ?? throw new FormatException("the CNI result has no cniVersion");
            var interfaces = (obj["interfaces"] as JsonArray ?? []).Select(ParseInterface).ToList();
            var ips = (obj["ips"] as JsonArray ?? []).Select(ParseIp).ToList();
            return new CniResult(version, interfaces, ips);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a field of the wrong JSON type (a string where a number belongs).
            throw new FormatException($"not a CNI result: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The IPv4 address given to <paramref name="ifName"/> inside <paramref name="sandbox"/>, which is the pod's IP.
    /// </summary>
    /// <exception cref="FormatException">The result assigns no such address.</exception>
    public CniIpConfig PodAddress(string ifName, string sandbox)
    {
        bool IsPodInterface(int? index) =>
            index is { } i && i >= 0 && i < Interfaces.Count && Interfaces[i].Name == ifName && Interfaces[i].Sandbox == sandbox;

        return Ips.FirstOrDefault(ip => ip.Address.AddressFamily == AddressFamily.InterNetwork && IsPodInterface(ip.Interface))
            ?? throw new FormatException($"the CNI result assigns no IPv4 address to {ifName} in {sandbox}");
    }

    private static CniInterface ParseInterface(JsonNode? node) =>
        node is JsonObject obj && (string?)obj["name"] is { } name
            ? new CniInterface(name, (string?)obj["mac"], (string?)obj["sandbox"])
            : throw new FormatException("a CNI result interface has no name");

    private static CniIpConfig ParseIp(JsonNode? node)
    {
        if (node is not JsonObject obj || (string?)obj["address"] is not { } address)
        {
            throw new FormatException("a CNI result IP has no address");
        }

        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(address.AsSpan(0, slash), out var ip)
            || !int.TryParse(address.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > ip.GetAddressBytes().Length * 8)
        {
            throw new FormatException($"'{address}' is not an address in CIDR notation");
        }

        var gatewayText = (string?)obj["gateway"];
        IPAddress? gateway = null;
        if (gatewayText is not null && !IPAddress.TryParse(gatewayText, out gateway))
        {
            throw new FormatException($"'{gatewayText}' is not an IP address");
        }

        return new CniIpConfig((int?)obj["interface"], ip, prefix, gateway);
    }
}
