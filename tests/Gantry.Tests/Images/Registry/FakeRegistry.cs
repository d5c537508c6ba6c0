using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Tests.Images.Registry;

/// <summary>
/// An OCI distribution registry in memory, behind an HttpMessageHandler: manifests by tag or
/// digest, blobs by digest, and optionally the Bearer token dance a public registry demands.
/// Every request it saw is kept, so tests can assert what the client asked for.
/// </summary>
internal sealed class FakeRegistry : HttpMessageHandler
{
    public const string Realm = "https://auth.example/token";
    public const string Token = "pull-token";

    private readonly Dictionary<string, (string MediaType, byte[] Content)> _manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Answer 401 with a Bearer challenge unless the request carries the token.</summary>
    public bool RequireToken { get; init; }

    /// <summary>Fail every request as an unreachable host would.</summary>
    public bool Unreachable { get; set; }

    /// <summary>Send manifests as application/octet-stream, as some registries and proxies do.</summary>
    public bool GenericContentType { get; init; }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public string AddBlob(byte[] content)
    {
        var digest = Digest(content);
        _blobs[digest] = content;
        return digest;
    }

    /// <summary>Stores a manifest under its digest and, when given, a tag.</summary>
    public string AddManifest(string repository, string mediaType, JsonObject manifest, string? tag = null)
    {
        var content = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digest(content);
        _manifests[$"{repository}/{digest}"] = (mediaType, content);
        if (tag is not null)
        {
            _manifests[$"{repository}/{tag}"] = (mediaType, content);
        }

        return digest;
    }

    /// <summary>An image with no layers (importable without unpacking anything) tagged in <paramref name="repository"/>.</summary>
    public (string ManifestDigest, string ConfigDigest) AddEmptyImage(string repository, string tag, string architecture = "amd64")
    {
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        }.ToJsonString());
        var configDigest = AddBlob(config);
        var manifest = AddManifest(repository, "application/vnd.oci.image.manifest.v1+json", new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = config.Length },
            ["layers"] = new JsonArray(),
        }, tag);
        return (manifest, configDigest);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (Unreachable)
        {
            throw new HttpRequestException("Connection refused (registry.example:443)");
        }

        var uri = request.RequestUri!;
        if (uri.GetLeftPart(UriPartial.Path) == Realm)
        {
            return Task.FromResult(Json(HttpStatusCode.OK, $$"""{"token":"{{Token}}","expires_in":300}"""));
        }

        var path = uri.AbsolutePath;
        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        var parts = path[4..].Split('/');
        var repository = string.Join('/', parts[..^2]);
        if (RequireToken && request.Headers.Authorization?.ToString() != "Bearer " + Token)
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate",
                $"Bearer realm=\"{Realm}\",service=\"registry.example\",scope=\"repository:{repository}:pull\"");
            return Task.FromResult(challenge);
        }

        var (kind, reference) = (parts[^2], parts[^1]);
        if (kind == "manifests" && _manifests.TryGetValue($"{repository}/{reference}", out var manifest))
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(manifest.Content) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(GenericContentType ? "application/octet-stream" : manifest.MediaType);
            response.Headers.TryAddWithoutValidation("Docker-Content-Digest", Digest(manifest.Content));
            return Task.FromResult(response);
        }

        if (kind == "blobs" && _blobs.TryGetValue(reference, out var blob))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob) });
        }

        return Task.FromResult(Json(HttpStatusCode.NotFound, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"""));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
