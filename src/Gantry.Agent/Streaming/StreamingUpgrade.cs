using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Turns a streaming request into a WebSocket or a raw SPDY connection, or refuses it with a Status.
/// Both upgrades go through Kestrel's HTTP/1.1 upgrade directly: ASP.NET's WebSocket middleware rejects
/// the subprotocol <c>SPDY/3.1+portforward.k8s.io</c> (RFC 6455 tokens exclude '/'), which kubectl 1.31+
/// requires for port-forwarding, so the WebSocket handshake is done here for every protocol alike.
/// </summary>
internal static class StreamingUpgrade
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static bool IsSpdyRequest(HttpRequest request) => HasUpgradeToken(request, StreamProtocols.SpdyUpgrade);

    public static bool IsWebSocketRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && HasUpgradeToken(request, "websocket");

    /// <summary>The first of <paramref name="supported"/> among the WebSocket subprotocols the client offered.</summary>
    public static string? ChooseWebSocketProtocol(HttpRequest request, IReadOnlyList<string> supported) =>
        StreamProtocols.Negotiate(request.Headers.SecWebSocketProtocol.Select(value => value ?? string.Empty), supported);

    /// <summary>
    /// Completes the RFC 6455 handshake with <paramref name="protocol"/> as the subprotocol; or answers
    /// the failure and returns null.
    /// </summary>
    public static async Task<WebSocket?> AcceptWebSocketAsync(HttpContext context, string protocol)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "WebSocket upgrades need HTTP/1.1");
            return null;
        }

        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (context.Request.Headers.SecWebSocketVersion.ToString() != "13" || !IsValidKey(key))
        {
            context.Response.Headers.SecWebSocketVersion = "13";
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "unsupported WebSocket version or key");
            return null;
        }

        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(key);
        context.Response.Headers.SecWebSocketProtocol = protocol;
        var transport = await upgrade.UpgradeAsync();
        // No server pings: kubectl pings every 5 s and the WebSocket answers those on its own.
        return WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }

    /// <summary>The Sec-WebSocket-Accept value for a client's key (RFC 6455 section 4.2.2).</summary>
    [SuppressMessage("Security", "CA5350", Justification = "RFC 6455 fixes SHA-1 for the handshake; it proves nothing secret.")]
    internal static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));

    /// <summary>
    /// Negotiates the stream protocol as the kubelet does (<c>X-Stream-Protocol-Version</c>), answers
    /// 101 and returns the raw connection; or answers the failure and returns null.
    /// </summary>
    public static async Task<(Stream Transport, string Protocol)?> AcceptSpdyAsync(HttpContext context, IReadOnlyList<string> supported)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "Upgrade request required");
            return null;
        }

        var offered = context.Request.Headers[StreamProtocols.VersionHeader].Select(value => value ?? string.Empty).ToArray();
        if (offered.Length == 0)
        {
            await RefuseAsync(
                context, StatusCodes.Status400BadRequest, "BadRequest", $"unable to upgrade: {StreamProtocols.VersionHeader} is required");
            return null;
        }

        var protocol = StreamProtocols.Negotiate(offered, supported);
        if (protocol is null)
        {
            foreach (var accepted in supported)
            {
                context.Response.Headers.Append(StreamProtocols.AcceptedVersionsHeader, accepted);
            }

            await RefuseAsync(
                context,
                StatusCodes.Status403Forbidden,
                "Forbidden",
                $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], "
                + $"server accepts [{string.Join(' ', supported)}]");
            return null;
        }

        context.Response.Headers[StreamProtocols.VersionHeader] = protocol;
        context.Response.Headers.Upgrade = StreamProtocols.SpdyUpgrade;
        var transport = await upgrade.UpgradeAsync();
        return (transport, protocol);
    }

    private static bool IsValidKey(string key)
    {
        Span<byte> nonce = stackalloc byte[16];
        return Convert.TryFromBase64String(key, nonce, out var length) && length == 16;
    }

    private static bool HasUpgradeToken(HttpRequest request, string token) =>
        request.Headers.Upgrade
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            .Any(offered => offered.Equals(token, StringComparison.OrdinalIgnoreCase));

    /// <summary>Answers a request that cannot be upgraded with a Kubernetes Status; kubectl prints its message.</summary>
    public static async Task RefuseAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("kind", "Status");
        json.WriteString("apiVersion", "v1");
        json.WriteStartObject("metadata");
        json.WriteEndObject();
        json.WriteString("status", "Failure");
        json.WriteString("message", message);
        json.WriteString("reason", reason);
        json.WriteNumber("code", code);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
