using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Server.Api.Proxy;

/// <summary>
/// Sends a <c>pods/proxy</c> or <c>services/proxy</c> request on to its backend and streams the answer back, as the
/// apiserver's proxy handler does: the method, the rest of the path after <c>/proxy</c>, the query and the body go as
/// they came, without the caller's credentials, which authentication has already used. An https backend's
/// certificate is not verified, as the apiserver does not verify a pod's. Upgrades (WebSockets) are not proxied.
/// </summary>
public sealed class ProxyForwarder : IDisposable
{
    // Hop-by-hop headers (RFC 9110 7.6.1) and the caller's credentials do not go on.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Impersonate-User", "Impersonate-Group",
    };

    private readonly HttpMessageInvoker _client = new(Handler());

    public async Task ForwardAsync(HttpContext context, Uri backend, string rest)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Headers.Upgrade.Count > 0)
        {
            throw ApiException.BadRequest("Upgrade requests are not proxied by this server");
        }

        var target = new UriBuilder(backend) { Path = rest.Length == 0 ? "/" : rest, Query = context.Request.QueryString.Value?.TrimStart('?') ?? "" }.Uri;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotForwarded.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // kube-apiserver's words when the backend cannot be reached.
            throw ApiException.ServiceUnavailable($"error trying to reach service: {Reason(ex, target)}");
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!NotForwarded.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    [SuppressMessage("Security", "CA5359", Justification = "The apiserver's proxy does not verify a pod's certificate either: it rarely names the pod's IP.")]
    private static SocketsHttpHandler Handler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    /// <summary>Go's dial error text, e.g. <c>dial tcp 10.244.0.5:80: connect: connection refused</c>, where the socket error says it.</summary>
    private static string Reason(HttpRequestException ex, Uri target) =>
        ex.InnerException is SocketException socket
            ? $"dial tcp {target.Host}:{target.Port}: connect: {socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
                SocketError.TimedOut => "connection timed out",
                _ => socket.Message.ToLowerInvariant(),
            }}"
            : ex.Message;
}
