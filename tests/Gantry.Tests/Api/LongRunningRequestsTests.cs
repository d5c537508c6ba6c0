using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Gantry.Tests.Api;

/// <summary>Watches and streams end when the server stops; short requests are left to finish.</summary>
public sealed class LongRunningRequestsTests
{
    [Fact]
    public async Task A_watch_is_cancelled_when_the_server_begins_to_stop()
    {
        var lifetime = new StoppableLifetime();
        var requests = new LongRunningRequests(lifetime);
        var context = Request("?watch=true");

        bool? aborted = null;
        await requests.InvokeAsync(context, () =>
        {
            lifetime.StopApplication();
            aborted = context.RequestAborted.IsCancellationRequested;
            return Task.CompletedTask;
        });

        Assert.Equal(true, aborted);
    }

    [Fact]
    public async Task A_short_request_is_not_cancelled_when_the_server_begins_to_stop()
    {
        var lifetime = new StoppableLifetime();
        var requests = new LongRunningRequests(lifetime);
        var context = Request("?limit=500");

        bool? aborted = null;
        await requests.InvokeAsync(context, () =>
        {
            lifetime.StopApplication();
            aborted = context.RequestAborted.IsCancellationRequested;
            return Task.CompletedTask;
        });

        Assert.Equal(false, aborted);
    }

    [Theory]
    [InlineData("?watch=1", null)]
    [InlineData("?follow=true", null)]
    [InlineData("", "SPDY/3.1")]
    [InlineData("", "websocket")]
    public void Watches_followed_logs_and_upgrades_are_long_running(string query, string? upgrade)
    {
        var context = Request(query);
        if (upgrade is not null)
        {
            context.Request.Headers.Upgrade = upgrade;
        }

        Assert.True(LongRunningRequests.IsLongRunning(context.Request));
    }

    private static DefaultHttpContext Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/namespaces/default/pods";
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context;
    }

    private sealed class StoppableLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();
    }
}
