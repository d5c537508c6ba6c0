using Gantry.Agent.Streaming.Spdy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Serves one <c>kubectl exec</c> request: WebSocket (v5, or v4 for other clients) when the client
/// asks for a WebSocket, otherwise SPDY/3.1 with any of v5 … channel.k8s.io, and reports the outcome
/// so that kubectl prints <c>command terminated with exit code N</c> and exits with N.
/// </summary>
public static class ExecSession
{
    /// <summary>
    /// Handles the request to completion. Call it for <c>GET</c> (WebSocket) and <c>POST</c> (SPDY) on
    /// the exec path, with the query string kubectl sent, on an HTTP/1.1 connection (kubectl always
    /// upgrades over HTTP/1.1; <c>app.UseWebSockets()</c> is not needed). Requests that cannot be
    /// upgraded are answered with a Status (400/403), which makes kubectl 1.30+ retry with SPDY.
    /// </summary>
    public static Task RunAsync(HttpContext context, IExecTarget target, ILogger logger, CancellationToken cancellationToken) =>
        ServeAsync(context, target, attach: false, logger, cancellationToken);

    /// <summary>
    /// Serves one <c>kubectl attach</c> request, which is an exec of no command on the same wire: the
    /// target's "process" is the container's running main process, and the outcome is reported as
    /// Success, whatever the container's exit code, as the kubelet does.
    /// </summary>
    public static Task AttachAsync(HttpContext context, IExecTarget target, ILogger logger, CancellationToken cancellationToken) =>
        ServeAsync(context, target, attach: true, logger, cancellationToken);

    private static async Task ServeAsync(HttpContext context, IExecTarget target, bool attach, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logger);

        if (!ExecRequest.TryParse(context.Request.Query, attach, out var request, out var problem))
        {
            await StreamingUpgrade.RefuseAsync(context, StatusCodes.Status400BadRequest, "BadRequest", problem);
            return;
        }

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.RequestAborted);
        var channels = await OpenAsync(context, request, logger, aborted.Token);
        if (channels is null)
        {
            return;
        }

        await using (channels)
        {
            try
            {
                await ExecPump.RunAsync(channels, target, request, attach, logger, aborted.Token);
            }
            catch (Exception ex) when (StreamPump.IsPeerFailure(ex))
            {
                // The client left (or the host is stopping): the process has been released, and
                // nobody is left to tell.
                StreamingLog.ExecClientGone(logger);
            }
        }
    }

    private static async Task<IExecChannels?> OpenAsync(HttpContext context, ExecRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        if (StreamingUpgrade.IsWebSocketRequest(context.Request))
        {
            var protocol = StreamingUpgrade.ChooseWebSocketProtocol(context.Request, StreamProtocols.RemoteCommandOverWebSocket);
            if (protocol is null)
            {
                await StreamingUpgrade.RefuseAsync(
                    context,
                    StatusCodes.Status400BadRequest,
                    "BadRequest",
                    $"unable to upgrade: supported WebSocket subprotocols are {string.Join(", ", StreamProtocols.RemoteCommandOverWebSocket)}");
                return null;
            }

            StreamingLog.ExecStarting(logger, protocol, request.Container, string.Join(' ', request.Command));
            return await StreamingUpgrade.AcceptWebSocketAsync(context, protocol) is { } socket
                ? new WebSocketExecChannels(socket, protocol, request)
                : null;
        }

        if (!StreamingUpgrade.IsSpdyRequest(context.Request))
        {
            await StreamingUpgrade.RefuseAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "Upgrade request required");
            return null;
        }

        if (await StreamingUpgrade.AcceptSpdyAsync(context, StreamProtocols.RemoteCommandOverSpdy) is not { } upgraded)
        {
            return null;
        }

        StreamingLog.ExecStarting(logger, upgraded.Protocol, request.Container, string.Join(' ', request.Command));
        var connection = new SpdyConnection(upgraded.Transport, logger);
        return await SpdyExecChannels.OpenAsync(connection, upgraded.Protocol, request, logger, cancellationToken);
    }
}
