using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Api.Proxy;
using Gantry.Server.Security;
using Gantry.Server.Security.ServiceAccounts;
using Gantry.Tests.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Api;

/// <summary>GET <c>pods/{name}/log</c> through the API's error handling and resource handler, with no agent anywhere.</summary>
public sealed class PodLogRequestTests
{
    [Fact]
    public async Task A_negative_tailLines_is_answered_422_with_a_Status_naming_the_cause_and_reaches_no_agent()
    {
        await using var cluster = await RegistryTestContext.StartAsync();
        // Scheduled on a node that was never registered: reaching for its agent would fail with a 404 instead.
        await cluster.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("x", nodeName: "gone"));

        var (code, status) = await GetAsync(cluster, "x", "?tailLines=-1");

        Assert.Equal(422, code);
        Assert.Equal(("Status", "Invalid", 422), (status["kind"]!.GetValue<string>(), status["reason"]!.GetValue<string>(), status["code"]!.GetValue<int>()));
        Assert.Equal("PodLogOptions \"x\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0", status["message"]!.GetValue<string>());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal(
            ("FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0", "tailLines"),
            (cause["reason"]!.GetValue<string>(), cause["message"]!.GetValue<string>(), cause["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_options_are_refused_before_the_pod_is_looked_up_as_kube_apiserver_does()
    {
        await using var cluster = await RegistryTestContext.StartAsync();

        var (code, _) = await GetAsync(cluster, "missing", "?limitBytes=0");

        Assert.Equal(422, code);
    }

    [Fact]
    public async Task A_pod_on_no_node_yet_has_an_empty_log()
    {
        await using var cluster = await RegistryTestContext.StartAsync();
        await cluster.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("pending"));

        var context = await RequestAsync(cluster, "pending", "");

        Assert.Equal((200, 0L), (context.Response.StatusCode, context.Response.Body.Length));
    }

    [Fact]
    public async Task A_container_the_pod_lacks_is_refused_before_its_node_is_asked()
    {
        await using var cluster = await RegistryTestContext.StartAsync();
        await cluster.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("x", nodeName: "gone"));

        var (code, status) = await GetAsync(cluster, "x", "?container=nope");

        Assert.Equal((400, "container nope is not valid for pod x"), (code, status["message"]!.GetValue<string>()));
    }

    private static async Task<(int Code, JsonObject Status)> GetAsync(RegistryTestContext cluster, string pod, string query)
    {
        var context = await RequestAsync(cluster, pod, query);
        return (context.Response.StatusCode, JsonNode.Parse(context.Response.Body)!.AsObject());
    }

    private static ProxyForwarder Forwarder { get; } = new();

    private static async Task<HttpContext> RequestAsync(RegistryTestContext cluster, string pod, string query)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var nodeProxy = new NodeProxy(cluster.Registry, certificate);
        var handler = new ResourceHandler(
            cluster.Registry,
            new CollectionWriter(cluster.Cache, cluster.Time),
            new PatchHandler(cluster.Registry, cluster.Time),
            nodeProxy,
            new ProxySubresource(cluster.Registry, Forwarder, nodeProxy),
            new TokenRequestSubresource(
                cluster.Registry, new ServiceAccountTokens(ServiceAccountKey.Generate(), cluster.Time), new NodeRole(cluster.Cache), cluster.Time),
            cluster.Time);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        var path = new ResourcePath(RegistryTestContext.Pods, "default", pod, "log");

        await new ApiErrorHandling(NullLogger<ApiErrorHandling>.Instance).InvokeAsync(context, () => handler.HandleAsync(context, path));

        context.Response.Body.Position = 0;
        return context;
    }
}
