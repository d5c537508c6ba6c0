using System.Net.WebSockets;
using System.Text;
using Gantry.Agent.Streaming;
using Gantry.Agent.Streaming.Spdy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class ExecSessionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const string ExitTwo =
        """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}""";

    [Fact]
    public async Task Spdy_exec_delivers_both_outputs_and_reports_a_non_zero_exit_as_a_status()
    {
        var target = new FakeExecTarget(async process =>
        {
            await process.WriteStdoutAsync("out\n");
            await process.WriteStderrAsync("err\n");
            return 2;
        });
        await using var session = SpdyExecHarness.Start(target, "?command=sh&command=-c&command=exit%202&container=main&stdout=true&stderr=true", "v4.channel.k8s.io", "v3.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdout"));
        await session.Client.OpenAsync(5, ("streamtype", "stderr"));
        var received = await session.Client.CollectUntilFinishedAsync(1, 3, 5);

        Assert.Equal("v4.channel.k8s.io", session.Context.Response.Headers["X-Stream-Protocol-Version"]);
        Assert.Equal("SPDY/3.1", session.Context.Response.Headers.Upgrade);
        Assert.Equal(["sh", "-c", "exit 2"], target.Request!.Command);
        Assert.Equal(("out\n", "err\n", ExitTwo), (received[3], received[5], received[1]));
    }

    [Fact]
    public async Task Spdy_exec_passes_stdin_through_until_the_client_closes_it()
    {
        var target = new FakeExecTarget(async process =>
        {
            await process.WriteStdoutAsync((await process.ReadStdinToEndAsync()).ToUpperInvariant());
            return 0;
        });
        await using var session = SpdyExecHarness.Start(target, "?command=cat&stdin=true&stdout=true", "v5.channel.k8s.io", "v4.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdin"));
        await session.Client.OpenAsync(5, ("streamtype", "stdout"));
        await session.Client.SendAsync(new SpdyDataFrame(3, "data\n"u8.ToArray(), Fin: true));
        var received = await session.Client.CollectUntilFinishedAsync(1, 5);

        Assert.Equal("v5.channel.k8s.io", session.Context.Response.Headers["X-Stream-Protocol-Version"]);
        Assert.Equal("DATA\n", received[5]);
        Assert.Equal("""{"metadata":{},"status":"Success"}""", received[1]);
    }

    [Fact]
    public async Task Protocols_before_v4_report_failures_as_bare_text_and_success_as_nothing()
    {
        var failing = new FakeExecTarget(_ => Task.FromResult(7));
        await using (var session = SpdyExecHarness.Start(failing, "?command=false&stdout=true", "v2.channel.k8s.io"))
        {
            await session.Client.OpenAsync(1, ("streamtype", "error"));
            await session.Client.OpenAsync(3, ("streamtype", "stdout"));

            Assert.Equal(
                "command terminated with non-zero exit code: error executing command [false], exit code 7",
                (await session.Client.CollectUntilFinishedAsync(1, 3))[1]);
        }

        var succeeding = new FakeExecTarget(_ => Task.FromResult(0));
        await using (var session = SpdyExecHarness.Start(succeeding, "?command=true&stdout=true", "channel.k8s.io"))
        {
            await session.Client.OpenAsync(1, ("streamtype", "error"));
            await session.Client.OpenAsync(3, ("streamtype", "stdout"));

            Assert.Equal(string.Empty, (await session.Client.CollectUntilFinishedAsync(1, 3))[1]);
        }
    }

    [Fact]
    public async Task Terminal_sizes_reach_the_process_which_starts_at_the_latest_that_came_in_time()
    {
        var last = new TerminalSize(120, 40);
        var target = new FakeExecTarget(async process =>
        {
            while (process.Request.InitialSize != last && !process.WasResizedTo(last))
            {
                await process.WaitForResizeAsync();
            }

            return 0;
        });
        await using var session = SpdyExecHarness.Start(target, "?command=sh&stdin=true&stdout=true&stderr=true&tty=true", "v4.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdin"));
        await session.Client.OpenAsync(5, ("streamtype", "stdout"));
        await session.Client.OpenAsync(7, ("streamtype", "resize"));
        await session.Client.SendAsync(new SpdyDataFrame(7, """{"Width":100,"Height":30}"""u8.ToArray(), Fin: false));
        await session.Client.SendAsync(new SpdyDataFrame(7, "\n{\"width\":120,\"height\":40}\n"u8.ToArray(), Fin: false));
        await session.Client.CollectUntilFinishedAsync(1, 5);

        Assert.False(target.Request!.Stderr);
        // The process starts at the latest size that came in time (or at none, on a machine that held them back), and
        // any later one reaches it as a resize, in order.
        var process = await target.Started;
        TerminalSize[] seen = [.. process.Request.InitialSize is { } initial ? [initial] : (TerminalSize[])[], .. process.Resizes];
        Assert.Equal(last, seen[^1]);
        Assert.All(seen, size => Assert.Contains(size, (TerminalSize[])[new TerminalSize(100, 30), last]));
        Assert.Equal(seen.Distinct(), seen);
    }

    [Fact]
    public async Task A_command_that_cannot_start_is_reported_as_an_internal_error()
    {
        var target = new FakeExecTarget(_ => Task.FromResult(0)) { FailWith = new FileNotFoundException("no such file: /nope") };
        await using var session = SpdyExecHarness.Start(target, "?command=/nope&stdout=true", "v4.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdout"));

        Assert.Equal(
            """{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: no such file: /nope","reason":"InternalError","details":{"causes":[{"message":"error executing command in container: no such file: /nope"}]},"code":500}""",
            (await session.Client.CollectUntilFinishedAsync(1))[1]);
    }

    [Fact]
    public async Task The_process_is_released_when_the_client_goes_away()
    {
        var target = new FakeExecTarget(async process =>
        {
            await process.Disposed.Task;
            return 137;
        });
        var session = SpdyExecHarness.Start(target, "?command=sleep&command=1000&stdout=true", "v4.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdout"));
        var process = await target.Started.WaitAsync(Patience);

        await session.DisposeAsync();

        await process.Disposed.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task WebSocket_exec_sends_channels_then_the_status_then_a_normal_close()
    {
        var target = new FakeExecTarget(async process =>
        {
            await process.WriteStdoutAsync(await process.ReadStdinToEndAsync());
            await process.WriteStderrAsync("warning");
            return 3;
        });
        var (serverEnd, clientEnd) = PipeDuplexStream.CreatePair();
        var context = UpgradeRequests.Create("GET", "?command=cat&stdin=true&stdout=true&stderr=true", serverEnd);
        context.Request.Headers.Upgrade = "websocket";
        context.Request.Headers.SecWebSocketKey = "dGhlIHNhbXBsZSBub25jZQ==";
        context.Request.Headers.SecWebSocketVersion = "13";
        context.Request.Headers.SecWebSocketProtocol = "v5.channel.k8s.io";
        var running = ExecSession.RunAsync(context, target, NullLogger.Instance, CancellationToken.None);
        using var client = WebSocket.CreateFromStream(clientEnd, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });

        await client.SendAsync(new byte[] { 0, (byte)'h', (byte)'i' }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await client.SendAsync(new byte[] { 0xFF, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var messages = await ReceiveUntilCloseAsync(client);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await running.WaitAsync(Patience);

        Assert.Equal("v5.channel.k8s.io", context.Response.Headers.SecWebSocketProtocol);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", context.Response.Headers.SecWebSocketAccept);
        Assert.Equal("hi", Channel(messages, 1));
        Assert.Equal("warning", Channel(messages, 2));
        Assert.Contains("\"reason\":\"NonZeroExitCode\"", Channel(messages, 3), StringComparison.Ordinal);
        Assert.Equal(3, messages[^1][0]);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task A_WebSocket_without_a_channel_subprotocol_is_refused_so_kubectl_falls_back_to_spdy()
    {
        var context = UpgradeRequests.Create("GET", "?command=ls&stdout=true", new MemoryStream());
        context.Request.Headers.Upgrade = "websocket";
        context.Request.Headers.SecWebSocketProtocol = "base64.channel.k8s.io";

        await ExecSession.RunAsync(context, new FakeExecTarget(_ => Task.FromResult(0)), NullLogger.Instance, CancellationToken.None);

        Assert.Equal(400, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_an_upgrade_gets_a_status_saying_so()
    {
        var context = UpgradeRequests.Create("POST", "?command=ls&stdout=true", new MemoryStream());

        await ExecSession.RunAsync(context, new FakeExecTarget(_ => Task.FromResult(0)), NullLogger.Instance, CancellationToken.None);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Contains("\"message\":\"Upgrade request required\"", Body(context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spdy_without_a_common_protocol_is_forbidden_and_lists_what_is_accepted()
    {
        var context = UpgradeRequests.Create("POST", "?command=ls&stdout=true", new MemoryStream());
        context.Request.Headers.Upgrade = "SPDY/3.1";
        context.Request.Headers["X-Stream-Protocol-Version"] = "v9.channel.k8s.io";

        await ExecSession.RunAsync(context, new FakeExecTarget(_ => Task.FromResult(0)), NullLogger.Instance, CancellationToken.None);

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal(
            "v5.channel.k8s.io,v4.channel.k8s.io,v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io",
            context.Response.Headers["X-Accepted-Stream-Protocol-Versions"].ToString());
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static string Channel(List<byte[]> messages, byte channel) =>
        string.Concat(messages.Where(message => message[0] == channel).Select(message => Encoding.UTF8.GetString(message, 1, message.Length - 1)));

    private static async Task<List<byte[]>> ReceiveUntilCloseAsync(WebSocket client)
    {
        var messages = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Patience);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return messages;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                messages.Add(message.ToArray());
                message.SetLength(0);
            }
        }
    }
}
