using Gantry.Agent.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Streaming;

/// <summary>An exec request upgraded to SPDY, with a client end to drive it.</summary>
internal sealed class SpdyExecHarness : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Stream _clientEnd;
    private readonly Task _running;

    private SpdyExecHarness(DefaultHttpContext context, Stream clientEnd, Task running)
    {
        Context = context;
        _clientEnd = clientEnd;
        _running = running;
        Client = new SpdyTestClient(clientEnd);
    }

    public DefaultHttpContext Context { get; }

    public SpdyTestClient Client { get; }

    public static SpdyExecHarness Start(IExecTarget target, string query, params string[] protocols) => Start(target, query, attach: false, protocols);

    /// <summary>Serves the request as an attach (<paramref name="attach"/>) or an exec.</summary>
    public static SpdyExecHarness Start(IExecTarget target, string query, bool attach, params string[] protocols)
    {
        var (serverEnd, clientEnd) = PipeDuplexStream.CreatePair();
        var context = UpgradeRequests.Create("POST", query, serverEnd);
        context.Request.Headers.Upgrade = "SPDY/3.1";
        context.Request.Headers["X-Stream-Protocol-Version"] = protocols;
        var running = attach
            ? ExecSession.AttachAsync(context, target, NullLogger.Instance, CancellationToken.None)
            : ExecSession.RunAsync(context, target, NullLogger.Instance, CancellationToken.None);
        return new SpdyExecHarness(context, clientEnd, running);
    }

    /// <summary>Leaves the way kubectl does once it has its answer: by closing the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _clientEnd.DisposeAsync();
        await _running.WaitAsync(Patience);
        Client.Dispose();
    }
}
