using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// Posts reviews to webhooks over HTTPS, as kube-apiserver's webhook client does: to the URL a configuration
/// names, or to <c>https://NAME.NAMESPACE.svc:PORT/PATH</c> for a Service (reached at one of its endpoints, its
/// certificate checked for that name), trusting only the configuration's <c>caBundle</c> when it has one, and giving up
/// after the webhook's timeout (sent as <c>?timeout=</c>, as client-go sends it). Admission and conversion webhooks
/// alike are called through it.
/// </summary>
public sealed class WebhookClient(ServiceEndpoints endpoints) : IDisposable
{
    private const string ServiceSuffix = ".svc";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // Clients kept for trusts no longer used (a CA bundle rotated away) are let go beyond this many.
    private const int MaxClients = 32;

    // A client outlives its last use by the longest a webhook may take, so a call still under way on it completes.
    private static readonly TimeSpan Lingering = TimeSpan.FromSeconds(30);

    // One client per trust: a configuration's CA bundle, or the system's roots (""); each with when it was last used.
    private readonly ConcurrentDictionary<string, Lazy<Pooled>> _clients = new(StringComparer.Ordinal);

    /// <summary>Posts an AdmissionReview to an admission webhook, within its timeout.</summary>
    /// <exception cref="WebhookCallException">The webhook could not be reached or did not answer with JSON.</exception>
    public async Task<JsonNode?> PostAsync(Webhook hook, JsonObject review, CancellationToken cancellationToken)
    {
        try
        {
            return await PostAsync(hook.ClientConfig, hook.Timeout, review, cancellationToken).ConfigureAwait(false);
        }
        catch (WebhookRequestException e)
        {
            var reason = e.Failure switch
            {
                WebhookFailure.Call => "failed to call webhook: ",
                WebhookFailure.Response => "received invalid webhook response: ",
                _ => "could not get REST client: ",
            };
            throw new WebhookCallException(hook.Name, reason + e.Message, e);
        }
    }

    /// <summary>Posts a review to the webhook <paramref name="config"/> names; gives up after <paramref name="timeout"/>.</summary>
    /// <exception cref="WebhookRequestException">The webhook could not be reached or did not answer with JSON.</exception>
    public async Task<JsonNode?> PostAsync(Admissionregistrationv1WebhookClientConfig config, TimeSpan timeout, JsonObject review, CancellationToken cancellationToken)
    {
        var url = Url(config, timeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(review));
            content.Headers.ContentType = Json;
            using var response = await ClientFor(config).PostAsync(url, content, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new WebhookRequestException(
                    WebhookFailure.Call, $"an error on the server (\"{Excerpt(body)}\") has prevented the request from succeeding");
            }

            return JsonNode.Parse(body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebhookRequestException(WebhookFailure.Call, $"Post \"{url}\": context deadline exceeded");
        }
        catch (HttpRequestException e)
        {
            throw new WebhookRequestException(WebhookFailure.Call, $"Post \"{url}\": {Innermost(e).Message}", e);
        }
        catch (JsonException e)
        {
            throw new WebhookRequestException(WebhookFailure.Response, e.Message, e);
        }
        catch (CryptographicException e)
        {
            // Not kept: a bundle that does not load is tried again once its configuration changes.
            _clients.TryRemove(KeyOf(config), out _);
            throw new WebhookRequestException(WebhookFailure.Trust, $"unable to load root certificates: {e.Message}", e);
        }
    }

    /// <summary>
    /// The URL posted to, as kube-apiserver names it in its errors (the Service's port always written): a
    /// configuration's URL has neither query nor fragment, so the timeout is its whole query.
    /// </summary>
    public static string Url(Admissionregistrationv1WebhookClientConfig config, TimeSpan timeout)
    {
        var query = "?timeout=" + ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        if (config.Url is { } url)
        {
            return url + query;
        }

        var service = config.Service;
        var port = (service.Port ?? 443).ToString(CultureInfo.InvariantCulture);
        return $"https://{service.Name}.{service.NamespaceProperty}{ServiceSuffix}:{port}{service.Path ?? "/"}{query}";
    }

    private static string KeyOf(Admissionregistrationv1WebhookClientConfig config) => config.CaBundle is { Length: > 0 } caBundle ? Convert.ToBase64String(caBundle) : "";

    private HttpClient ClientFor(Admissionregistrationv1WebhookClientConfig config)
    {
        var caBundle = config.CaBundle;
        var pooled = _clients.GetOrAdd(KeyOf(config), _ => new Lazy<Pooled>(() => new Pooled(new HttpClient(Handler(caBundle)) { Timeout = Timeout.InfiniteTimeSpan })));
        var client = pooled.Value;
        client.LastUsed = Environment.TickCount64;
        if (_clients.Count > MaxClients)
        {
            LetGoOfOldest();
        }

        return client.Client;
    }

    /// <summary>Lets go of the client used least recently, once it has been idle longer than a call may take.</summary>
    private void LetGoOfOldest()
    {
        var oldest = _clients.Where(c => c.Value.IsValueCreated).MinBy(c => c.Value.Value.LastUsed);
        if (oldest.Value is { } lazy && Environment.TickCount64 - lazy.Value.LastUsed > Lingering.TotalMilliseconds && _clients.TryRemove(oldest))
        {
            _ = Task.Delay(Lingering).ContinueWith(_ => lazy.Value.Client.Dispose(), TaskScheduler.Default);
        }
    }

    private SocketsHttpHandler Handler(byte[]? caBundle)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        if (caBundle is { Length: > 0 })
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(Encoding.ASCII.GetString(caBundle));
            // As Go's verifier: the bundle's certificates alone, nothing fetched from the network to complete a chain.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return handler;
    }

    private sealed class Pooled(HttpClient client)
    {
        public HttpClient Client { get; } = client;

        public long LastUsed { get; set; }
    }

    /// <summary>Connects to a Service's endpoint for its <c>.svc</c> name, and to any other host as named.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var labels = host.Split('.');
        EndPoint target = labels.Length == 3 && host.EndsWith(ServiceSuffix, StringComparison.Ordinal)
            ? endpoints.Resolve(labels[1], labels[0], context.DnsEndPoint.Port)
            : context.DnsEndPoint;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static string Excerpt(byte[] body) => Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 256))).Trim();

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Client.Dispose();
        }
    }
}
