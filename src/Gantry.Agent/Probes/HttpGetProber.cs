using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gantry.Agent.Node;

namespace Gantry.Agent.Probes;

/// <summary>
/// An httpGet probe, as kubelet's: a GET with <c>User-Agent: kube-probe/&lt;major&gt;.&lt;minor&gt;</c>
/// and <c>Accept: */*</c> unless the probe sets them, no keep-alive, no proxy, HTTPS without
/// certificate verification, the whole exchange bounded by the timeout. 200–399 is healthy;
/// redirects are followed (at most 10) only while they stay on the same host, and a response
/// that stops at a redirect is a <see cref="ProbeResult.Warning"/>. At most 10 KiB of the body is read.
/// <see cref="LifecycleAsync"/> sends the same GET for an httpGet lifecycle hook, which any response satisfies.
/// </summary>
public static class HttpGetProber
{
    private const int MaxBodyLength = 10 * 1024;
    private const int MaxRedirects = 10;

    private static readonly string UserAgent = "kube-probe/" + string.Join('.', NodeFacts.Version.TrimStart('v').Split('.').Take(2));

    private static readonly HttpMessageInvoker Client = new(Handler());

    [SuppressMessage("Security", "CA5359", Justification = "Kubernetes probes skip verification by contract: a pod's certificate rarely names its IP.")]
    private static SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.GZip,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    private static readonly string LifecycleUserAgent = "kube-lifecycle/" + string.Join('.', NodeFacts.Version.TrimStart('v').Split('.').Take(2));

    public static Task<ProbeOutcome> ProbeAsync(HttpProbeRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(request, UserAgent, timeout, Judge, cancellationToken);

    /// <summary>
    /// The GET of an httpGet lifecycle hook, with <c>User-Agent: kube-lifecycle/&lt;major&gt;.&lt;minor&gt;</c>: kubelet's
    /// runHTTPHandler fails only when no response comes, whatever its status code. No timeout but the caller's.
    /// </summary>
    public static Task<ProbeOutcome> LifecycleAsync(HttpProbeRequest request, CancellationToken cancellationToken) =>
        SendAsync(request, LifecycleUserAgent, Timeout.InfiniteTimeSpan, (_, body) => new ProbeOutcome(ProbeResult.Success, body), cancellationToken);

    private static ProbeOutcome Judge(int code, string body) => code switch
    {
        >= 200 and < 300 => new ProbeOutcome(ProbeResult.Success, body),
        >= 300 and < 400 => new ProbeOutcome(ProbeResult.Warning, $"Probe terminated redirects, Response body: {body}"),
        _ => new ProbeOutcome(ProbeResult.Failure, $"HTTP probe failed with statuscode: {code}"),
    };

    private static async Task<ProbeOutcome> SendAsync(
        HttpProbeRequest request, string userAgent, TimeSpan timeout, Func<int, string, ProbeOutcome> judge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var url = request.Url;
        try
        {
            for (var requests = 1; ; requests++)
            {
                using var message = Message(url, request.Headers, userAgent);
                using var response = await Client.SendAsync(message, deadline.Token).ConfigureAwait(false);
                if (RedirectTarget(url, response) is { } next && string.Equals(next.Host, request.Url.Host, StringComparison.OrdinalIgnoreCase))
                {
                    if (requests >= MaxRedirects)
                    {
                        return new ProbeOutcome(ProbeResult.Failure, $"Get \"{next}\": stopped after {MaxRedirects} redirects");
                    }

                    url = next;
                    continue;
                }

                var body = await ReadBodyAsync(response, deadline.Token).ConfigureAwait(false);
                return judge((int)response.StatusCode, body);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket
                ? DialErrors.Describe(ProbePorts.JoinHostPort(url.Host.Trim('[', ']'), url.Port), socket)
                : ex.Message;
            return new ProbeOutcome(ProbeResult.Failure, $"Get \"{url}\": {reason}");
        }
    }

    private static HttpRequestMessage Message(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, string userAgent)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.ConnectionClose = true;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else if (!(string.Equals(name, "Accept", StringComparison.OrdinalIgnoreCase) && value.Length == 0))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!headers.Any(h => string.Equals(h.Key, "User-Agent", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (!headers.Any(h => string.Equals(h.Key, "Accept", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation("Accept", "*/*");
        }

        return message;
    }

    /// <summary>Where a redirect points, for the codes Go's client follows; null for any other response.</summary>
    private static Uri? RedirectTarget(Uri url, HttpResponseMessage response) =>
        (int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(url, location)
            : null;

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyLength];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
