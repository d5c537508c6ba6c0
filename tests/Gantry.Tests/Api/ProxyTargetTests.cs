using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Api.Proxy;
using Gantry.Tests.Registry;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Api;

public sealed class ProxyTargetTests : IAsyncLifetime
{
    private static readonly ResourceType Services = ResourceCatalog.Get("", "services");
    private static readonly ResourceType Endpoints = ResourceCatalog.Get("", "endpoints");
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData("web", "http", "web", "")]
    [InlineData("web:8080", "http", "web", "8080")]
    [InlineData("https:web:8443", "https", "web", "8443")]
    [InlineData("https:web:", "https", "web", "")]
    public void A_proxy_name_is_name_name_and_port_or_scheme_name_and_port(string id, string scheme, string name, string port) =>
        Assert.Equal((scheme, name, port), ProxyTarget.Split(id, "pod"));

    [Theory]
    [InlineData("ftp:web:21")]
    [InlineData(":8080")]
    [InlineData("a:b:c:d")]
    public void A_name_that_is_not_so_is_a_BadRequest(string id)
    {
        var error = Assert.Throws<ApiException>(() => ProxyTarget.Split(id, "pod"));

        Assert.Equal(400, error.Code);
        Assert.Equal($"invalid pod request \"{id}\"", error.Message);
    }

    [Fact]
    public async Task A_pod_without_a_port_named_is_reached_on_its_first_container_port()
    {
        await RunningPodAsync("web", "10.244.0.5", 8080);

        Assert.Equal(new Uri("http://10.244.0.5:8080/"), ProxyTarget.Resolve(_context.Registry, Pods, "default", "web"));
        Assert.Equal(new Uri("https://10.244.0.5:9443/"), ProxyTarget.Resolve(_context.Registry, Pods, "default", "https:web:9443"));
    }

    [Fact]
    public async Task A_pod_without_an_ip_cannot_be_proxied_to()
    {
        await _context.CreateAsync(Pods, Pod("web"));

        var error = Assert.Throws<ApiException>(() => ProxyTarget.Resolve(_context.Registry, Pods, "default", "web:80"));

        Assert.Equal(400, error.Code);
    }

    [Fact]
    public async Task A_service_port_number_is_reached_through_the_endpoint_port_of_its_name()
    {
        await ServiceAsync(("http", 80, 8080), ("metrics", 9090, 9100));
        await EndpointsAsync(["10.244.0.7"], ("http", 8080), ("metrics", 9100));

        Assert.Equal(new Uri("http://10.244.0.7:8080/"), ProxyTarget.Resolve(_context.Registry, Services, "default", "web:80"));
        Assert.Equal(new Uri("http://10.244.0.7:9100/"), ProxyTarget.Resolve(_context.Registry, Services, "default", "web:metrics"));
    }

    [Fact]
    public async Task A_service_without_endpoints_is_unavailable_in_kubes_words()
    {
        await ServiceAsync(("", 80, 8080));

        var error = Assert.Throws<ApiException>(() => ProxyTarget.Resolve(_context.Registry, Services, "default", "web"));

        Assert.Equal(503, error.Code);
        Assert.Equal("no endpoints available for service \"web\"", error.Message);
    }

    [Fact]
    public async Task A_service_port_number_it_does_not_have_is_unavailable()
    {
        await ServiceAsync(("", 80, 8080));

        var error = Assert.Throws<ApiException>(() => ProxyTarget.Resolve(_context.Registry, Services, "default", "web:81"));

        Assert.Equal("no service port 81 found for service \"web\"", error.Message);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/pods/web:8080/proxy/a/b%20c/?x=1", "/a/b%20c/")]
    [InlineData("/api/v1/namespaces/default/pods/proxy-app/proxy", "")]
    [InlineData("/api/v1/namespaces/default/services/https:web:/proxy/", "/")]
    public void The_backend_path_is_what_follows_proxy_as_it_was_sent(string target, string rest)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = new PathString(target.Split('?')[0]);
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = target;
        var type = target.Contains("/services/", StringComparison.Ordinal) ? Services : Pods;

        Assert.Equal(rest, ProxySubresource.Rest(context, new ResourcePath(type, "default", "x", "proxy")));
    }

    private async Task RunningPodAsync(string name, string ip, int port)
    {
        var pod = Pod(name, nodeName: "node-1");
        pod["spec"]!["containers"]![0]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = port });
        var created = await _context.CreateAsync(Pods, pod);
        created["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = ip };
        await _context.UpdateAsync(Pods, created, "status");
    }

    private Task<JsonObject> ServiceAsync(params (string Name, int Port, int Target)[] ports) =>
        _context.CreateAsync(Services, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["app"] = "web" },
                ["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port, ["targetPort"] = p.Target })]),
            },
        });

    private Task<JsonObject> EndpointsAsync(string[] ips, params (string Name, int Port)[] ports) =>
        _context.CreateAsync(Endpoints, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray([.. ips.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip })]),
                ["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port })]),
            }),
        });
}
