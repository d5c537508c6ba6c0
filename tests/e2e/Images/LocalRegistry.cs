using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gantry.E2E.Harness;

namespace Gantry.E2E.Images;

/// <summary>
/// The CNCF distribution registry (Debian's docker-registry, installed by scripts/bootstrap) on
/// 127.0.0.1 with its own temporary storage, and a client for the push half of the distribution
/// API — blob upload (POST, then PUT with the digest) and manifest PUT — so tests can put images in
/// it without docker.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";

    private readonly BackgroundCommand _process;
    private readonly string _directory;
    private readonly HttpClient _http = new();

    private LocalRegistry(BackgroundCommand process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        _http.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", the domain part of image references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<LocalRegistry> StartAsync(string workDir)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run scripts/bootstrap (it installs Debian's docker-registry)");
        }

        var directory = Path.Combine(workDir, "registry-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "storage"));
        var port = FreePort();
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var process = BackgroundCommand.Start(Binary, ["serve", config], null, () => null);
        var registry = new LocalRegistry(process, directory, port);
        await Eventually.Until(registry.PingAsync, ok => ok || process.HasExited, TimeSpan.FromSeconds(20), $"docker-registry on port {port} to answer /v2/");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"docker-registry exited:\n{process.Stderr}");
        }

        return registry;
    }

    /// <summary>Pushes the image's blobs and manifest, tagged <paramref name="tag"/>; returns the manifest digest.</summary>
    public async Task<string> PushAsync(string repository, string? tag, TestImage image)
    {
        await PushBlobAsync(repository, image.ConfigJson);
        await PushBlobAsync(repository, image.Layer);
        var manifest = image.Manifest();
        await PutManifestAsync(repository, tag ?? TestImage.Digest(manifest), "application/vnd.oci.image.manifest.v1+json", manifest);
        return TestImage.Digest(manifest);
    }

    /// <summary>Pushes an OCI index of already pushed manifests, each for its linux architecture.</summary>
    public async Task<string> PushIndexAsync(string repository, string tag, params (string Digest, int Size, string Architecture)[] manifests)
    {
        var entries = new JsonArray();
        foreach (var (digest, size, architecture) in manifests)
        {
            entries.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = digest,
                ["size"] = size,
                ["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = architecture },
            });
        }

        var index = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = entries,
        }.ToJsonString());
        await PutManifestAsync(repository, tag, "application/vnd.oci.image.index.v1+json", index);
        return TestImage.Digest(index);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var response = await _http.GetAsync("v2/");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task PushBlobAsync(string repository, byte[] content)
    {
        using var start = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Expect(start, HttpStatusCode.Accepted, "starting a blob upload");
        var location = start.Headers.Location ?? throw new InvalidOperationException("the registry gave no upload location");
        var upload = location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location);
        var separator = upload.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var finish = await _http.PutAsync($"{upload}{separator}digest={Uri.EscapeDataString(TestImage.Digest(content))}", body);
        Expect(finish, HttpStatusCode.Created, "finishing a blob upload");
    }

    private async Task PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.PutAsync($"v2/{repository}/manifests/{reference}", body);
        Expect(response, HttpStatusCode.Created, $"putting manifest {repository}:{reference}");
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException(
                $"{what}: the registry answered {(int)response.StatusCode} {response.ReasonPhrase}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
