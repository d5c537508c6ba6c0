using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Gantry.Agent.Images.Registry;

/// <summary>
/// The pull side of the OCI distribution spec: GET a manifest (asking for OCI and Docker v2 media
/// types) and GET blobs into files, verifying every byte against its digest. A 401 carrying a
/// Bearer challenge is answered the way docker does it anonymously: fetch a pull token from the
/// challenge's realm for the repository's scope, then retry. Tokens are kept per repository.
/// Registries on loopback, or named insecure, are spoken to over plain HTTP; all others over HTTPS.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private static readonly string[] ManifestMediaTypes =
    [
        ImageManifestParser.OciIndexMediaType,
        ImageManifestParser.OciManifestMediaType,
        ImageManifestParser.DockerManifestListMediaType,
        ImageManifestParser.DockerManifestMediaType,
    ];

    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <param name="handler">The transport; a SocketsHttpHandler with a short connect timeout when null.</param>
    public RegistryClient(HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("gantry");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The manifest or index <paramref name="reference"/> names (its digest, else its tag).</summary>
    internal async Task<RegistryManifest> GetManifestAsync(RegistryReference reference, bool insecure, CancellationToken cancellationToken)
    {
        var uri = Endpoint(reference, insecure, $"manifests/{reference.ManifestReference}");
        using var response = await SendAsync(reference, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (var mediaType in ManifestMediaTypes)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
            }

            return request;
        }, cancellationToken);
        await EnsureSuccessAsync(response, reference, $"manifest {reference}", cancellationToken);
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw new RegistryException($"manifest {reference} is larger than {MaxManifestBytes} bytes");
        }

        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        if (reference.Digest is not null && reference.Digest != digest)
        {
            throw new InvalidDataException($"manifest {reference} has digest {digest}: the registry served different content");
        }

        if (response.Headers.TryGetValues("Docker-Content-Digest", out var stated) && stated.FirstOrDefault() is { } header &&
            header.StartsWith("sha256:", StringComparison.Ordinal) && header != digest)
        {
            throw new InvalidDataException($"manifest {reference} hashes to {digest}, but the registry says {header}");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !(ImageManifestParser.IsIndex(mediaType) || ImageManifestParser.IsManifest(mediaType)))
        {
            mediaType = ImageManifestParser.DeclaredMediaType(System.Text.Encoding.UTF8.GetString(content));
        }

        return new RegistryManifest(mediaType, digest, content);
    }

    /// <summary>
    /// Downloads <paramref name="blob"/> to <paramref name="path"/>, reporting the bytes received so
    /// far to <paramref name="progress"/>. The file is deleted unless its size and digest match.
    /// </summary>
    internal async Task DownloadBlobAsync(
        RegistryReference repository, OciDescriptor blob, string path, bool insecure, Action<long>? progress, CancellationToken cancellationToken)
    {
        var uri = Endpoint(repository, insecure, $"blobs/{blob.Digest}");
        using var response = await SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        await EnsureSuccessAsync(response, repository, $"blob {blob.Digest}", cancellationToken);
        try
        {
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await BlobVerifier.CopyAsync(source, target, blob, progress, cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static Uri Endpoint(RegistryReference reference, bool insecure, string suffix) =>
        new($"{(insecure || reference.IsLoopback ? "http" : "https")}://{reference.Host}/v2/{reference.Repository}/{suffix}");

    /// <summary>Sends, answering one authentication challenge; <paramref name="create"/> builds a fresh request per attempt.</summary>
    private async Task<HttpResponseMessage> SendAsync(RegistryReference repository, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var key = repository.Host + "/" + repository.Repository;
        var response = await SendOnceAsync(create, _tokens.GetValueOrDefault(key), repository, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var headers)
            ? headers.SelectMany(AuthChallenge.ParseAll).FirstOrDefault(c => c.IsBearer)
            : null;
        if (challenge is null)
        {
            return response;
        }

        response.Dispose();
        var token = await FetchTokenAsync(repository, challenge, cancellationToken);
        _tokens[key] = token;
        return await SendOnceAsync(create, token, repository, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        Func<HttpRequestMessage> create, string? token, RegistryReference repository, CancellationToken cancellationToken)
    {
        using var request = create();
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException($"failed to do request: {request.Method} {request.RequestUri}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"failed to do request: {request.Method} {request.RequestUri}: the registry {repository.Domain} did not answer in time", ex);
        }
    }

    /// <summary>The distribution token protocol, anonymously: GET realm?service=…&amp;scope=…, answered with {"token": …}.</summary>
    private async Task<string> FetchTokenAsync(RegistryReference repository, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        var realm = challenge.Parameter("realm");
        if (realm is null || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
        {
            throw new RegistryException($"registry {repository.Domain} sent an authentication challenge without a usable realm");
        }

        var query = new List<string>();
        if (challenge.Parameter("service") is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(challenge.Parameter("scope") ?? $"repository:{repository.Repository}:pull"));
        var builder = new UriBuilder(realmUri) { Query = string.Join('&', realmUri.Query.TrimStart('?') is { Length: > 0 } q ? [q, .. query] : query) };
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(builder.Uri, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException($"failed to fetch anonymous token: {ex.Message}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException(
                    $"failed to fetch anonymous token: unexpected status from GET request to {builder.Uri}: {(int)response.StatusCode} {response.ReasonPhrase}",
                    response.StatusCode);
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            return (root.TryGetProperty("token", out var t) ? t.GetString() : null) is { Length: > 0 } token ? token
                : (root.TryGetProperty("access_token", out var a) ? a.GetString() : null) is { Length: > 0 } access ? access
                : throw new RegistryException($"the token service {realmUri.Host} answered without a token");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, RegistryReference reference, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = RegistryErrors.Describe(await response.Content.ReadAsStringAsync(cancellationToken));
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new RegistryException($"{reference}: not found", HttpStatusCode.NotFound),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new RegistryException($"pull access denied, repository does not exist or may require authorization: {detail ?? "authorization failed"}", response.StatusCode),
            _ => new RegistryException($"unexpected status fetching {what} from {reference.Domain}: {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}", response.StatusCode),
        };
    }
}
