using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;

namespace Gantry.Server.Api.Proxy;

/// <summary>
/// Where <c>pods/proxy</c> and <c>services/proxy</c> send a request, found as kube's pod and service
/// <c>ResourceLocation</c> find it: the name may be <c>name</c>, <c>name:port</c> or <c>scheme:name:port</c>. A pod
/// without a port named goes to its first container port; a service's port is its port name (a number is looked up
/// among its ports), and the backend is a ready address of its Endpoints, picked at random.
/// </summary>
public static class ProxyTarget
{
    /// <summary>The scheme, host and port of the backend for <paramref name="id"/> (the path's name segment).</summary>
    /// <exception cref="ApiException">400 for a bad name, 404 for a missing object, 503 for a service with no endpoint.</exception>
    public static Uri Resolve(ObjectRegistry registry, ResourceType type, string? ns, string id)
    {
        var (scheme, name, port) = Split(id, type.Singular);
        return type.Plural == "services" ? ForService(registry, ns, name, port, scheme) : ForPod(registry, type, ns, name, port, scheme);
    }

    /// <summary>kube's <c>SplitSchemeNamePort</c>: only http and https are schemes, and the name cannot be empty.</summary>
    internal static (string Scheme, string Name, string Port) Split(string id, string kind)
    {
        var parts = id.Split(':');
        var (scheme, name, port) = parts switch
        {
            [var n] => ("", n, ""),
            [var n, var p] => ("", n, p),
            [var s, var n, var p] when s is "http" or "https" => (s, n, p),
            _ => ("", "", ""),
        };
        return name.Length == 0 ? throw ApiException.BadRequest($"invalid {kind} request \"{id}\"") : (scheme.Length == 0 ? "http" : scheme, name, port);
    }

    private static Uri ForPod(ObjectRegistry registry, ResourceType type, string? ns, string name, string port, string scheme)
    {
        var pod = JsonNode.Parse(registry.GetRequired(type, ns, name).Json)!;
        if (port.Length == 0)
        {
            port = (pod["spec"]?["containers"]?.AsArray() ?? [])
                .Select(c => c?["ports"]?.AsArray().FirstOrDefault()?["containerPort"]?.GetValue<int>())
                .FirstOrDefault(p => p is not null)?.ToString(CultureInfo.InvariantCulture) ?? "";
        }

        var ip = pod["status"]?["podIP"]?.GetValue<string>() ?? "";
        return Location(scheme, Proxyable(ip), port);
    }

    private static Uri ForService(ObjectRegistry registry, string? ns, string name, string port, string scheme)
    {
        var service = JsonNode.Parse(registry.GetRequired(ResourceCatalog.Get("", "services"), ns, name).Json)!;
        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            var declared = (service["spec"]?["ports"]?.AsArray() ?? []).FirstOrDefault(p => p?["port"]?.GetValue<int>() == number)
                ?? throw ApiException.ServiceUnavailable($"no service port {number} found for service \"{name}\"");
            port = declared["name"]?.GetValue<string>() ?? "";
        }

        var endpoints = registry.Get(ResourceCatalog.Get("", "endpoints"), ns, name) is { } cached ? JsonNode.Parse(cached.Json) : null;
        var subsets = (endpoints?["subsets"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
        if (subsets.Count == 0)
        {
            throw ApiException.ServiceUnavailable($"no endpoints available for service \"{name}\"");
        }

        var start = Random.Shared.Next(subsets.Count);
        for (var i = 0; i < subsets.Count; i++)
        {
            var subset = subsets[(start + i) % subsets.Count];
            var addresses = (subset["addresses"]?.AsArray() ?? []).Select(a => a?["ip"]?.GetValue<string>()).OfType<string>().ToList();
            var matching = (subset["ports"]?.AsArray() ?? []).FirstOrDefault(p => (p?["name"]?.GetValue<string>() ?? "") == port);
            if (addresses.Count > 0 && matching?["port"]?.GetValue<int>() is { } target)
            {
                return Location(scheme, addresses[Random.Shared.Next(addresses.Count)], target.ToString(CultureInfo.InvariantCulture));
            }
        }

        throw ApiException.ServiceUnavailable($"no endpoints available for service \"{(port.Length == 0 ? name : $"{name}:{port}")}\"");
    }

    /// <summary>kube's <c>IsProxyableIP</c>: the apiserver does not proxy to its own host's loopback or link-local addresses.</summary>
    private static string Proxyable(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address))
        {
            throw ApiException.BadRequest($"address not allowed: {(ip.Length == 0 ? "the pod has no IP yet" : ip)}");
        }

        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || (address.GetAddressBytes() is [169, 254, ..]))
        {
            throw ApiException.BadRequest($"address not allowed: {ip}");
        }

        return ip;
    }

    private static Uri Location(string scheme, string ip, string port)
    {
        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new Uri(port.Length == 0 ? $"{scheme}://{host}/" : $"{scheme}://{host}:{port}/");
    }
}
