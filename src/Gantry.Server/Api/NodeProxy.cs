using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Metrics;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Server.Api;

/// <summary>
/// Forwards <c>pods/{name}/log</c>, the streaming verbs and <c>nodes/{name}/proxy</c> to the agent of the node, and
/// asks agents for their node's resource usage. An agent is found through the Node's InternalIP and <c>daemonEndpoints.kubeletEndpoint.port</c>. The agent's self-signed certificate
/// is pinned by the fingerprint the agent published on its Node; the proxy authenticates itself
/// with the cluster CA's client certificate for agents (<see cref="AgentClientIdentity"/>), as
/// kube-apiserver does to kubelets. It sends no token: a Node that lies about its address gets nothing
/// it could replay.
/// </summary>
public sealed class NodeProxy(ObjectRegistry registry, X509Certificate2 clientCertificate) : INodeStatsSource
{
    /// <summary>The Node annotation carrying the SHA-256 fingerprint of the agent's serving certificate.</summary>
    public const string CertificateAnnotation = "gantry.io/agent-certificate-sha256";

    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    /// <summary>metrics-server's default <c>--kubelet-request-timeout</c> is 10 s; a summary is read from the agent's
    /// memory, so an agent that takes seconds is in trouble and kubectl should not wait on it.</summary>
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    private static readonly HttpRequestOptionsKey<string> PinnedCertificate = new("gantry.io/agent-certificate-sha256");

    private HttpClient? _stats;

    public async Task ProxyLogAsync(HttpContext context, ResourcePath path, JsonNode pod, string container, PodLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var agent = AgentOf(pod);
        var url = $"https://{agent.Address}:{agent.Port}/containerLogs/{path.Namespace}/{path.Name}/{container}{options.AgentQuery()}";
        using var http = AgentClient(agent);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var message = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
            throw ApiException.BadRequest(message.Length > 0 ? message : $"the agent of node {agent.Node} answered {(int)response.StatusCode}");
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await CopyBodyAsync(response, context).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>nodes/{name}/proxy/{path}</c>: the request goes to the node's agent as it came (method, path and query, body
    /// and its content type), as kube-apiserver proxies to the kubelet, and the agent's status, content type and body
    /// come back. An agent that cannot be reached is a 503, in kube's words.
    /// </summary>
    /// <param name="rest">The path after <c>/proxy</c>, as sent.</param>
    public async Task ProxyNodeAsync(HttpContext context, string nodeName, string rest)
    {
        ArgumentNullException.ThrowIfNull(context);
        var agent = AgentOf(nodeName);
        var url = $"https://{agent.Address}:{agent.Port}{(rest.Length == 0 ? "/" : rest)}{context.Request.QueryString}";
        using var http = AgentClient(agent);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), url);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiException(503, "ServiceUnavailable", $"error trying to reach service: {ex.Message}");
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }

            await CopyBodyAsync(response, context).ConfigureAwait(false);
        }
    }

    /// <summary>A client for one agent: its certificate pinned, the server's client certificate for agents presented.</summary>
    private HttpClient AgentClient(AgentAddress agent) => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => Fingerprint(certificate) == agent.CertificateSha256,
            ClientCertificates = [clientCertificate],
        },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Streams the agent's body to the client, each chunk as it comes (a followed log never ends).</summary>
    private static async Task CopyBodyAsync(HttpResponseMessage response, HttpContext context)
    {
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Tunnels an exec, attach or port-forward upgrade (WebSocket or SPDY) to the agent: the request
    /// goes on over TLS with the client certificate, the agent's answer comes back, and after a 101 the bytes flow
    /// both ways untouched, so every protocol version kubectl speaks passes through.
    /// </summary>
    /// <param name="container">The container of an exec or attach; null for a port-forward.</param>
    public async Task ProxyUpgradeAsync(HttpContext context, ResourcePath path, JsonNode pod, string? container)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            throw ApiException.BadRequest("Upgrade request required");
        }

        var agent = AgentOf(pod);
        var target = path.Subresource == "portforward"
            ? $"/portForward/{path.Namespace}/{path.Name}"
            : $"/{path.Subresource}/{path.Namespace}/{path.Name}/{container}";
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(agent.Address, agent.Port, context.RequestAborted).ConfigureAwait(false);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false,
            (_, certificate, _, _) => Fingerprint(certificate) == agent.CertificateSha256);
        await tls.AuthenticateAsClientAsync(
                new System.Net.Security.SslClientAuthenticationOptions { TargetHost = agent.Address, ClientCertificates = [clientCertificate] }, context.RequestAborted)
            .ConfigureAwait(false);

        var request = new System.Text.StringBuilder()
            .Append(context.Request.Method).Append(' ').Append(target).Append(context.Request.QueryString.Value).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(agent.Address).Append(':').Append(agent.Port).Append("\r\n");
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name is "Upgrade" or "Connection" or "X-Stream-Protocol-Version" || name.StartsWith("Sec-WebSocket-", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    request.Append(name).Append(": ").Append(value).Append("\r\n");
                }
            }
        }

        request.Append("\r\n");
        await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request.ToString()), context.RequestAborted).ConfigureAwait(false);
        var (status, headers) = await ReadResponseHeadAsync(tls, context.RequestAborted).ConfigureAwait(false);
        if (status != 101)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = headers.GetValueOrDefault("Content-Type") ?? HttpResponses.Json;
            await tls.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        foreach (var (name, value) in headers)
        {
            if (name is not ("Connection" or "Upgrade" or "Content-Length"))
            {
                context.Response.Headers.Append(name, value);
            }
        }

        context.Response.Headers.Upgrade = headers.GetValueOrDefault("Upgrade") ?? "";
        await using var client = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var toAgent = client.CopyToAsync(tls, context.RequestAborted);
        var toClient = tls.CopyToAsync(client, context.RequestAborted);
        await Task.WhenAny(toAgent, toClient).ConfigureAwait(false);
    }

    /// <summary>Reads an HTTP/1.1 status line and headers byte by byte, leaving the stream at the body.</summary>
    private static async Task<(int Status, Dictionary<string, string> Headers)> ReadResponseHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0 || head.Count > 64 * 1024)
            {
                throw new ApiException(502, "InternalError", "the agent closed the connection before answering");
            }

            head.Add(one[0]);
        }

        var lines = System.Text.Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2))
        {
            headers[pair[0].Trim()] = pair[1].Trim();
        }

        return (status, headers);
    }

    /// <summary>
    /// The node's resource usage from its agent's <c>/stats/summary</c>, or null when the node has no agent to ask
    /// (a simulated node, one not yet registered) or its agent does not answer within <see cref="StatsTimeout"/>:
    /// metrics-server leaves out the nodes it cannot scrape, and so does the metrics API.
    /// </summary>
    public async Task<StatsSummary?> StatsSummaryAsync(string nodeName, CancellationToken cancellationToken)
    {
        AgentAddress agent;
        try
        {
            agent = AgentOf(nodeName);
        }
        catch (ApiException)
        {
            return null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StatsTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{agent.Address}:{agent.Port}/stats/summary");
        request.Options.Set(PinnedCertificate, agent.CertificateSha256);
        try
        {
            using var response = await LazyInitializer.EnsureInitialized(ref _stats, StatsClient).SendAsync(request, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, StatsJsonContext.Default.StatsSummary, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>
    /// One client for every agent's stats, whose connections are kept between requests; each request carries the
    /// fingerprint its agent must present, which the handler checks whenever it opens a connection. An agent that
    /// restarts with a new certificate has closed its connections, so the next request checks the new one.
    /// </summary>
    private HttpClient StatsClient()
    {
        var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (request, certificate, _, _) =>
                request.Options.TryGetValue(PinnedCertificate, out var pinned) && Fingerprint(certificate) == pinned,
        };
        handler.ClientCertificates.Add(clientCertificate);
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private AgentAddress AgentOf(JsonNode pod) => AgentOf(pod["spec"]!["nodeName"]!.GetValue<string>());

    private AgentAddress AgentOf(string nodeName)
    {
        var node = JsonNode.Parse(registry.GetRequired(Nodes, null, nodeName).Json)!;
        var name = node["metadata"]!["name"]!.GetValue<string>();
        var address = (node["status"]?["addresses"] as JsonArray)?
            .FirstOrDefault(a => a?["type"]?.GetValue<string>() == "InternalIP")?["address"]?.GetValue<string>();
        var port = node["status"]?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"]?.GetValue<int>() ?? 0;
        var pinned = node["metadata"]?["annotations"]?[CertificateAnnotation]?.GetValue<string>();
        if (address is null || port == 0 || pinned is null)
        {
            throw new ApiException(503, "ServiceUnavailable", $"node {name} has not published its agent's address and certificate");
        }

        return new AgentAddress(name, address, port, pinned);
    }

    private sealed record AgentAddress(string Node, string Address, int Port, string CertificateSha256);

    public static string Fingerprint(System.Security.Cryptography.X509Certificates.X509Certificate? certificate) =>
        certificate is null ? "" : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()));
}
