using System.Net;
using System.Text;
using System.Text.Json;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.ServiceProxy;

/// <summary>
/// The bench's API objects: busybox httpd backends (each serves its own name), a Service over all of
/// them, and a "flip" Service whose selector matches a backend only while the bench labels it so.
/// </summary>
internal sealed class ProxyObjects(HttpClient client, string @namespace, string nodeName)
{
    public const string WebService = "bench-web";
    public const string FlipService = "bench-flip";
    private const int BackendPort = 8080;

    public static string BackendName(int index) => $"web-{index}";

    public async Task CreateBackendAsync(string name, CancellationToken cancellationToken)
    {
        var json = $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","labels":{"app":"bench-web","flip":"off"}},
             "spec":{"nodeName":"{{{nodeName}}}","terminationGracePeriodSeconds":1,"containers":[{"name":"httpd","image":"busybox",
              "command":["sh","-c","mkdir -p /www && hostname > /www/index.html && exec httpd -f -p {{{BackendPort}}} -h /www"],
              "ports":[{"name":"http","containerPort":{{{BackendPort}}}}]}]}}
            """;
        await SendAsync(HttpMethod.Post, $"api/v1/namespaces/{@namespace}/pods", json, "application/json", cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateServicesAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, selector) in new[] { (WebService, "\"app\":\"bench-web\""), (FlipService, "\"flip\":\"on\"") })
        {
            var json = $$$"""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}"},
                 "spec":{"selector":{{{{selector}}}},"ports":[{"port":80,"targetPort":"http"}]}}
                """;
            await SendAsync(HttpMethod.Post, $"api/v1/namespaces/{@namespace}/services", json, "application/json", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Labels the backend so the flip Service selects it (or no longer does).</summary>
    public Task FlipAsync(string pod, bool on, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"api/v1/namespaces/{@namespace}/pods/{pod}",
            on ? """{"metadata":{"labels":{"flip":"on"}}}""" : """{"metadata":{"labels":{"flip":"off"}}}""", "application/merge-patch+json", cancellationToken);

    public async Task<IPAddress> ClusterIpAsync(string service, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"api/v1/namespaces/{@namespace}/services/{service}", cancellationToken).ConfigureAwait(false);
        return IPAddress.Parse(json.RootElement.GetProperty("spec").GetProperty("clusterIP").GetString()!);
    }

    /// <summary>The pod's IP once it is Running, null before.</summary>
    public async Task<IPAddress?> RunningPodIpAsync(string pod, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"api/v1/namespaces/{@namespace}/pods/{pod}", cancellationToken).ConfigureAwait(false);
        var status = json.RootElement.GetProperty("status");
        return status.TryGetProperty("phase", out var phase) && phase.GetString() == "Running" && status.TryGetProperty("podIP", out var ip)
            ? IPAddress.Parse(ip.GetString()!)
            : null;
    }

    public async Task DeleteNamespaceAsync(CancellationToken cancellationToken)
    {
        using var response = await client.DeleteAsync(new Uri($"api/v1/namespaces/{@namespace}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PodCountAsync(CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"api/v1/namespaces/{@namespace}/pods", cancellationToken).ConfigureAwait(false);
        return json.RootElement.GetProperty("items").GetArrayLength();
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(body) : throw new BenchRequestException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    private async Task SendAsync(HttpMethod method, string path, string json, string contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchRequestException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }
}
