using Gantry.Agent.Probes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Xunit;

namespace Gantry.Tests.Agent.Probes;

public sealed class GrpcProberTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A health service answering <paramref name="status"/> (a grpc.health.v1 ServingStatus) for the service "app" only.</summary>
    private static Task<LocalServer> HealthServerAsync(byte status) => LocalServer.StartAsync(async context =>
    {
        if (context.Request.Path != "/grpc.health.v1.Health/Check")
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = body.ToArray();
        context.Response.ContentType = "application/grpc";
        if (request.Length != 5 + 5 || request[5] != 0x0A || request[6] != 3)
        {
            context.Response.AppendTrailer("grpc-status", "5");
            context.Response.AppendTrailer("grpc-message", "unknown%20service");
            return;
        }

        await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0x08, status });
        context.Response.AppendTrailer("grpc-status", "0");
    }, HttpProtocols.Http2);

    [Fact]
    public async Task A_serving_service_is_healthy()
    {
        await using var server = await HealthServerAsync(1);

        var outcome = await GrpcProber.ProbeAsync("127.0.0.1", server.Port, "app", Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Success, "service healthy"), outcome);
    }

    [Fact]
    public async Task A_service_not_serving_is_unhealthy()
    {
        await using var server = await HealthServerAsync(2);

        var outcome = await GrpcProber.ProbeAsync("127.0.0.1", server.Port, "app", Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, "service unhealthy (responded with \"NOT_SERVING\")"), outcome);
    }

    [Fact]
    public async Task An_rpc_error_fails_with_its_code_and_message()
    {
        await using var server = await HealthServerAsync(1);

        var outcome = await GrpcProber.ProbeAsync("127.0.0.1", server.Port, "", Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"), outcome);
    }
}
