using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Gantry.Durability;

/// <summary>The config maps the test writes and reads, as raw Kubernetes REST calls.</summary>
internal static class ConfigMaps
{
    public const string Namespace = "durability";
    public const string NamePrefix = "dur-";

    public static bool IsOurs(string name) => name.StartsWith(NamePrefix, StringComparison.Ordinal);

    /// <summary>A payload derived from the nonce, so that a value spliced from two writes is detectable.</summary>
    public static string Payload(string nonce) => string.Concat(Enumerable.Repeat(nonce, 4));

    public static HttpContent Body(string name, string nonce, long resourceVersion)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "v1");
            json.WriteString("kind", "ConfigMap");
            json.WriteStartObject("metadata");
            json.WriteString("name", name);
            json.WriteString("namespace", Namespace);
            if (resourceVersion > 0)
            {
                json.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
            json.WriteStartObject("data");
            json.WriteString("nonce", nonce);
            json.WriteString("payload", Payload(nonce));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return JsonBody(buffer.ToArray());
    }

    public static string CollectionPath => $"api/v1/namespaces/{Namespace}/configmaps";

    public static string ItemPath(string name) => $"{CollectionPath}/{name}";

    public static async Task EnsureNamespaceAsync(HttpClient client)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{Namespace}}}"}}""");
        using var response = await client.PostAsync(new Uri("api/v1/namespaces", UriKind.Relative), JsonBody(body)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Creating namespace {Namespace}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    public static long ResourceVersionOf(byte[] objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        return ParseRevision(document.RootElement.GetProperty("metadata"));
    }

    /// <summary>Lists the namespace in pages; the pages share the first page's snapshot.</summary>
    public static async Task<Snapshot> ListAsync(HttpClient client)
    {
        var objects = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        long listRevision = 0;
        string? continueToken = null;
        do
        {
            var path = $"{CollectionPath}?limit=2000" + (continueToken is null ? "" : "&continue=" + Uri.EscapeDataString(continueToken));
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"LIST {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
            }

            using var document = JsonDocument.Parse(bytes);
            var metadata = document.RootElement.GetProperty("metadata");
            if (continueToken is null)
            {
                listRevision = ParseRevision(metadata);
            }

            foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
            {
                var stored = Read(item);
                objects.Add(stored.Name, stored);
            }

            continueToken = metadata.TryGetProperty("continue", out var next) && next.GetString() is { Length: > 0 } token ? token : null;
        }
        while (continueToken is not null);

        return new Snapshot(listRevision, objects);
    }

    private static ByteArrayContent JsonBody(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static StoredObject Read(JsonElement item)
    {
        var metadata = item.GetProperty("metadata");
        var name = metadata.GetProperty("name").GetString()!;
        string? nonce = null;
        string? payload = null;
        if (item.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            nonce = data.TryGetProperty("nonce", out var n) ? n.GetString() : null;
            payload = data.TryGetProperty("payload", out var p) ? p.GetString() : null;
        }

        var intact = nonce is not null && payload == Payload(nonce);
        return new StoredObject(name, ParseRevision(metadata), nonce ?? "(none)", intact);
    }

    private static long ParseRevision(JsonElement metadata) =>
        long.Parse(metadata.GetProperty("resourceVersion").GetString()!, CultureInfo.InvariantCulture);
}
