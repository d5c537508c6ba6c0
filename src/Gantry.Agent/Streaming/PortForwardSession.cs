using Gantry.Agent.Streaming.Spdy;
using Gantry.Agent.Streaming.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Serves one <c>kubectl port-forward</c> connection: SPDY/3.1 directly (kubectl ≤ 1.30, and the
/// fallback of later versions) or tunnelled inside WebSocket binary messages with the subprotocol
/// <c>SPDY/3.1+portforward.k8s.io</c> (kubectl 1.31+). One session carries any number of forwarded
/// connections, to any ports, until kubectl disconnects.
/// </summary>
public static class PortForwardSession
{
    /// <summary>
    /// Handles the request to completion. Call it for <c>GET</c> (WebSocket) and <c>POST</c> (SPDY) on
    /// the port-forward path, on an HTTP/1.1 connection (<c>app.UseWebSockets()</c> is not needed).
    /// Requests that cannot be upgraded are answered with a Status (400/403), which makes kubectl
    /// 1.31+ retry with SPDY.
    /// </summary>
    public static async Task RunAsync(HttpContext context, IPortForwardTarget target, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logger);

        Stream transport;
        if (StreamingUpgrade.IsWebSocketRequest(context.Request))
        {
            if (StreamingUpgrade.ChooseWebSocketProtocol(context.Request, [StreamProtocols.TunnelledPortForward]) is not { } protocol)
            {
                await StreamingUpgrade.RefuseAsync(
                    context,
                    StatusCodes.Status400BadRequest,
                    "BadRequest",
                    $"unable to upgrade: port-forwarding over WebSocket needs the subprotocol {StreamProtocols.TunnelledPortForward}");
                return;
            }

            if (await StreamingUpgrade.AcceptWebSocketAsync(context, protocol) is not { } socket)
            {
                return;
            }

            transport = new WebSocketByteStream(socket);
        }
        else if (StreamingUpgrade.IsSpdyRequest(context.Request))
        {
            if (await StreamingUpgrade.AcceptSpdyAsync(context, [StreamProtocols.PortForward]) is not { } upgraded)
            {
                return;
            }

            transport = upgraded.Transport;
        }
        else
        {
            await StreamingUpgrade.RefuseAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "Upgrade request required");
            return;
        }

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.RequestAborted);
        await using var connection = new SpdyConnection(transport, logger);
        _ = connection.Start();
        await new PortForwardHandler(connection, target, logger).RunAsync(aborted.Token);
    }
}
