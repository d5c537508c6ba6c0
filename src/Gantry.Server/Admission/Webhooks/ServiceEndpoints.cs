using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Storage;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// Where a webhook's Service answers: one of the ready addresses of its Endpoints, at the port its service port targets
/// (kube-apiserver's endpoint service resolver, as with <c>--enable-aggregator-routing</c>), so the server reaches the
/// webhook's pods without the node's service rules.
/// </summary>
public sealed class ServiceEndpoints(WatchCache cache)
{
    private static readonly ResourceType Services = ResourceCatalog.Get("", "services");
    private static readonly ResourceType Endpoints = ResourceCatalog.Get("", "endpoints");

    /// <exception cref="HttpRequestException">The Service is missing, has no such port, or no ready endpoint.</exception>
    public IPEndPoint Resolve(string ns, string name, int port)
    {
        var service = cache.Get(Services.Key(ns, name)) is { } stored
            ? JsonNode.Parse(stored.Json)!
            : throw new HttpRequestException($"service \"{name}\" not found");
        var servicePort = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(p => p["port"]?.GetValue<int>() == port)
            ?? throw new HttpRequestException($"no service port {port} found for service \"{name}\"");
        var portName = servicePort["name"]?.GetValue<string>() ?? "";

        var endpoints = cache.Get(Endpoints.Key(ns, name)) is { } found ? JsonNode.Parse(found.Json)! : null;
        var candidates = new List<IPEndPoint>();
        foreach (var subset in (endpoints?["subsets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var target = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(p => (p["name"]?.GetValue<string>() ?? "") == portName);
            if (target?["port"]?.GetValue<int>() is not { } targetPort)
            {
                continue;
            }

            foreach (var address in (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (IPAddress.TryParse(address["ip"]?.GetValue<string>(), out var ip))
                {
                    candidates.Add(new IPEndPoint(ip, targetPort));
                }
            }
        }

        return candidates.Count > 0
            ? candidates[Random.Shared.Next(candidates.Count)]
            : throw new HttpRequestException($"no endpoints available for service \"{name}\"");
    }
}
