using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.Scenarios;

/// <summary>The handful of raw REST calls the benchmarks make; failures throw <see cref="BenchRequestException"/>.</summary>
internal sealed class KubeApi
{
    private readonly HttpClient _client;

    public KubeApi(HttpClient client) => _client = client;

    public static string PodsPath(string @namespace) => $"api/v1/namespaces/{@namespace}/pods";

    public async Task CreatePodAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var content = PodJson.Content(@namespace, name);
        using var response = await _client.PostAsync(new Uri(PodsPath(@namespace), UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw Failure("POST pod", response.StatusCode, body);
        }
    }

    public async Task GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Failure("GET " + path, response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens <paramref name="connections"/> pooled connections before a timed phase, so that TLS
    /// handshakes (a real client keeps its connections) are not charged to the first requests.
    /// </summary>
    public Task OpenConnectionsAsync(int connections) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(_ => GetAsync("api/v1/namespaces/default", CancellationToken.None)));

    public async Task CreateNamespaceAsync(string name)
    {
        using var content = new StringContent($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}""", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("api/v1/namespaces", UriKind.Relative), content).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw Failure("POST namespace", response.StatusCode, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        }
    }

    /// <summary>Reads a whole (possibly large) response without keeping it.</summary>
    /// <returns>The body's length in bytes.</returns>
    public async Task<long> DrainAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Failure("GET " + path, response.StatusCode, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        }

        await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<byte[]> GetBytesAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK ? body : throw Failure("GET " + path, response.StatusCode, body);
    }

    /// <summary>GETs a list and returns its parsed body, for checks made outside the timed loop.</summary>
    public async Task<JsonDocument> GetJsonAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(body) : throw Failure("GET " + path, response.StatusCode, body);
    }

    public async Task<long> ListRevisionAsync(string @namespace)
    {
        using var list = await GetJsonAsync(PodsPath(@namespace) + "?limit=1").ConfigureAwait(false);
        return ParseRevision(list.RootElement.GetProperty("metadata"));
    }

    private static long ParseRevision(JsonElement metadata) =>
        long.Parse(metadata.GetProperty("resourceVersion").GetString()!, CultureInfo.InvariantCulture);

    private static BenchRequestException Failure(string what, HttpStatusCode status, byte[] body) =>
        new($"{what}: {(int)status} {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300))}");
}
