using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Gantry.Tests.Controllers;
using Gantry.Tests.Kernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Mesos;

/// <summary><c>/master/state</c>'s HTTP answers, over a master with a real allocator and registry whose loop never runs.</summary>
public sealed class MasterStateEndpointTests : IAsyncLifetime
{
    private MasterSetup _setup = null!;
    private MesosMaster _master = null!;

    public async Task InitializeAsync()
    {
        _setup = await MasterSetup.CreateAsync();
        _master = _setup.Master;
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    private async Task<(int Status, string ContentType, string Body)> RequestAsync(string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Host = new HostString("10.0.0.1", 6443);
        using var body = new MemoryStream();
        context.Response.Body = body;
        await new MasterStateEndpoint(_master).HandleAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType!, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Theory]
    [InlineData("master", "state")]
    [InlineData("master", "state.json")]
    public void Serves_the_state_under_both_of_its_names(string first, string second) =>
        Assert.True(MasterStateEndpoint.Matches([first, second]));

    [Fact]
    public async Task Answers_the_state_as_json_once_the_master_has_recovered()
    {
        await _setup.Registry.RunInformersAsync();

        var (status, contentType, body) = await RequestAsync();

        Assert.Equal((200, "application/json"), (status, contentType));
        var state = JsonNode.Parse(body)!;
        Assert.Equal("master@10.0.0.1:6443", state["pid"]!.GetValue<string>());
        Assert.Equal("n1", Assert.Single(state["slaves"]!.AsArray())!["hostname"]!.GetValue<string>());
    }

    [Fact]
    public async Task Is_unavailable_before_the_master_has_recovered_its_tasks()
    {
        var (status, _, body) = await RequestAsync();

        Assert.Equal((503, "Master has not finished recovery"), (status, body));
    }

    [Fact]
    public async Task Refuses_any_method_but_get()
    {
        await _setup.Registry.RunInformersAsync();

        var (status, _, body) = await RequestAsync("POST");

        Assert.Equal((405, "Expecting 'GET', received 'POST'"), (status, body));
    }
}
