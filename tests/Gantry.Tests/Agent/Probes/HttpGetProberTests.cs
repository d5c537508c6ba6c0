using System.Net;
using System.Net.Sockets;
using Gantry.Agent.Probes;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Agent.Probes;

public sealed class HttpGetProberTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static HttpProbeRequest Request(int port, string path, params (string Name, string Value)[] headers) =>
        new(new Uri($"http://127.0.0.1:{port}{path}"), headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList());

    [Fact]
    public async Task A_2xx_response_is_a_success_with_the_body_as_output()
    {
        await using var server = await LocalServer.StartAsync(context => context.Response.WriteAsync("ok"));

        var outcome = await HttpGetProber.ProbeAsync(Request(server.Port, "/healthz"), Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Success, "ok"), outcome);
    }

    [Fact]
    public async Task A_4xx_or_5xx_response_is_a_failure_naming_the_status_code()
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            return context.Response.WriteAsync("secret details");
        });

        var outcome = await HttpGetProber.ProbeAsync(Request(server.Port, "/"), Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, "HTTP probe failed with statuscode: 503"), outcome);
    }

    [Fact]
    public async Task The_request_carries_kube_probe_headers_the_path_and_the_probe_headers()
    {
        string? seen = null;
        await using var server = await LocalServer.StartAsync(context =>
        {
            var headers = context.Request.Headers;
            seen = $"{context.Request.Path}{context.Request.QueryString} ua={headers.UserAgent} accept={headers.Accept} host={headers.Host} x={headers["X-Custom"]}";
            return Task.CompletedTask;
        });

        await HttpGetProber.ProbeAsync(Request(server.Port, "/ready?deep=1", ("X-Custom", "yes"), ("Host", "app.example")), Timeout, CancellationToken.None);

        Assert.Equal("/ready?deep=1 ua=kube-probe/1.32 accept=*/* host=app.example x=yes", seen);
    }

    [Fact]
    public async Task A_redirect_on_the_same_host_is_followed()
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            if (context.Request.Path == "/old")
            {
                context.Response.Redirect("/new");
                return Task.CompletedTask;
            }

            return context.Response.WriteAsync("moved here");
        });

        var outcome = await HttpGetProber.ProbeAsync(Request(server.Port, "/old"), Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Success, "moved here"), outcome);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed_and_warns()
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "http://elsewhere.invalid/";
            return context.Response.WriteAsync("go away");
        });

        var outcome = await HttpGetProber.ProbeAsync(Request(server.Port, "/"), Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Warning, "Probe terminated redirects, Response body: go away"), outcome);
    }

    [Fact]
    public async Task Redirects_stop_after_ten()
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            context.Response.Redirect("/again");
            return Task.CompletedTask;
        });

        var outcome = await HttpGetProber.ProbeAsync(Request(server.Port, "/"), Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, $"Get \"http://127.0.0.1:{server.Port}/again\": stopped after 10 redirects"), outcome);
    }

    [Fact]
    public async Task A_refused_connection_fails_in_the_words_of_kubelet()
    {
        var port = ClosedPort();

        var outcome = await HttpGetProber.ProbeAsync(Request(port, "/healthz"), Timeout, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure,
            $"Get \"http://127.0.0.1:{port}/healthz\": dial tcp 127.0.0.1:{port}: connect: connection refused"), outcome);
    }

    [Fact]
    public async Task A_response_slower_than_the_timeout_fails()
    {
        using var release = new CancellationTokenSource();
        await using var server = await LocalServer.StartAsync(context => Task.Delay(Timeout, release.Token));

        var outcome = await HttpGetProber.ProbeAsync(Request(server.Port, "/slow"), TimeSpan.FromMilliseconds(200), CancellationToken.None);
        await release.CancelAsync();

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.StartsWith($"Get \"http://127.0.0.1:{server.Port}/slow\": context deadline exceeded", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_request_goes_to_the_pod_ip_and_a_named_container_port_unless_the_probe_names_a_host()
    {
        var container = new V1Container { Name = "web", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] };

        var toPod = HttpProbeRequest.For(new V1HTTPGetAction { Port = "http", Path = "healthz" }, container, "10.88.0.7");
        var toHost = HttpProbeRequest.For(new V1HTTPGetAction { Port = 443, Scheme = "HTTPS", Host = "example.test" }, container, "10.88.0.7");

        Assert.Equal(new Uri("http://10.88.0.7:8080/healthz"), toPod.Url);
        Assert.Equal(new Uri("https://example.test:443/"), toHost.Url);
    }

    [Fact]
    public void A_port_name_the_container_does_not_declare_cannot_be_probed()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            HttpProbeRequest.For(new V1HTTPGetAction { Port = "metrics" }, new V1Container { Name = "web" }, "10.88.0.7"));

        Assert.Equal("port \"metrics\" not found", error.Message);
    }

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
