using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Gantry.Tests.Controllers;
using Gantry.Tests.Kernel;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using ProtoCall = global::Mesos.V1.Master.Call;
using ProtoResponse = global::Mesos.V1.Master.Response;

namespace Gantry.Tests.Mesos;

/// <summary>The master's v1 operator API over a master with a real allocator and registry whose loop never runs.</summary>
public sealed class OperatorEndpointTests : IAsyncLifetime
{
    private static readonly JsonParser Strict = new(JsonParser.Settings.Default);

    private MasterSetup _setup = null!;
    private MesosMaster _master = null!;
    private OperatorEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _setup = await MasterSetup.CreateAsync();
        _master = _setup.Master;
        _endpoint = new OperatorEndpoint(_master);
        await _setup.Registry.RunInformersAsync();
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    private FrameworkSession Subscribe(string name) =>
        _master.Subscribe(JsonNode.Parse($$"""{"user":"root","name":"{{name}}","failover_timeout":3600}""")!.AsObject(), null, []);

    private async Task<(int Status, byte[] Body, string? ContentType)> PostAsync(byte[] call, string contentType, string? accept = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Host = new HostString("master.example", 6443);
        context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.2");
        context.Connection.LocalPort = 6443;
        context.Request.Body = new MemoryStream(call);
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        await _endpoint.HandleAsync(context);
        return (context.Response.StatusCode, body.ToArray(), context.Response.ContentType);
    }

    private async Task<JsonObject> JsonCallAsync(string call)
    {
        var (status, body, contentType) = await PostAsync(Encoding.UTF8.GetBytes(call), "application/json");
        Assert.True(status == 200, $"{status}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/json", contentType);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>A protobuf call answered in protobuf; the answer must also be what its JSON form says, every field declared.</summary>
    private async Task<ProtoResponse> ProtobufCallAsync(ProtoCall call)
    {
        var (status, body, contentType) = await PostAsync(call.ToByteArray(), "application/x-protobuf", "application/x-protobuf");
        Assert.True(status == 200, $"{status}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/x-protobuf", contentType);
        var answer = ProtoResponse.Parser.ParseFrom(body);
        Assert.True(answer.IsInitialized(), "The answer lacks a required field");
        return answer;
    }

    [Fact]
    public async Task Get_health_says_the_master_is_healthy()
    {
        var answer = await JsonCallAsync("""{"type":"GET_HEALTH"}""");

        Assert.Equal("""{"type":"GET_HEALTH","get_health":{"healthy":true}}""", answer.ToJsonString());
    }

    [Fact]
    public async Task Get_state_lists_the_nodes_as_agents_and_the_subscribed_frameworks()
    {
        Subscribe("spark");

        var state = (await ProtobufCallAsync(new ProtoCall { Type = ProtoCall.Types.Type.GetState })).GetState;

        var agent = Assert.Single(state.GetAgents.Agents);
        Assert.Equal(("n1", "n1", true), (agent.AgentInfo.Id.Value, agent.AgentInfo.Hostname, agent.Active));
        Assert.Equal(4, agent.TotalResources.Single(r => r.Name == "cpus").Scalar.Value);
        var framework = Assert.Single(state.GetFrameworks.Frameworks);
        Assert.Equal(("spark", "root", true, true), (framework.FrameworkInfo.Name, framework.FrameworkInfo.User, framework.Active, framework.Connected));
        Assert.Empty(state.GetTasks.Tasks);
    }

    [Fact]
    public async Task Get_frameworks_in_json_gives_each_framework_its_info_with_its_id()
    {
        var session = Subscribe("kafka");

        var answer = await JsonCallAsync("""{"type":"GET_FRAMEWORKS"}""");

        var info = answer["get_frameworks"]!["frameworks"]![0]!["framework_info"]!;
        Assert.Equal((session.FrameworkId, "kafka"), (info["id"]!["value"]!.GetValue<string>(), info["name"]!.GetValue<string>()));
        Strict.Parse<ProtoResponse>(answer.ToJsonString());
    }

    [Fact]
    public async Task A_framework_subscribed_with_fields_of_the_wrong_type_was_never_subscribed()
    {
        var body = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"odd","checkpoint":"yes"}}}"""u8.ToArray();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();

        await new SchedulerEndpoint(_master, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchedulerEndpoint>.Instance).HandleAsync(context);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal(200, (await PostAsync(new ProtoCall { Type = ProtoCall.Types.Type.GetFrameworks }.ToByteArray(), "application/x-protobuf", "application/x-protobuf")).Status);
    }

    [Fact]
    public async Task Get_master_names_this_master_with_its_address_packed_as_mesos_packs_it()
    {
        var master = (await ProtobufCallAsync(new ProtoCall { Type = ProtoCall.Types.Type.GetMaster })).GetMaster.MasterInfo;

        Assert.Equal(("master.example", 6443u, "10.0.0.2", "1.11.0"), (master.Hostname, master.Port, master.Address.Ip, master.Version));
        Assert.Equal(BitConverter.ToUInt32([10, 0, 0, 2]), master.Ip);
    }

    [Fact]
    public async Task Get_roles_lists_each_frameworks_role_with_its_weight()
    {
        Subscribe("spark");

        var role = Assert.Single((await ProtobufCallAsync(new ProtoCall { Type = ProtoCall.Types.Type.GetRoles })).GetRoles.Roles);

        Assert.Equal(("*", 1.0, 1), (role.Name, role.Weight, role.Frameworks.Count));
    }

    [Fact]
    public async Task Teardown_removes_the_framework()
    {
        var session = Subscribe("spark");
        var teardown = new JsonObject
        {
            ["type"] = "TEARDOWN",
            ["teardown"] = new JsonObject { ["framework_id"] = new JsonObject { ["value"] = session.FrameworkId } },
        };

        var (status, _, _) = await PostAsync(Encoding.UTF8.GetBytes(teardown.ToJsonString()), "application/json");

        Assert.Equal(200, status);
        Assert.Empty((await JsonCallAsync("""{"type":"GET_FRAMEWORKS"}"""))["get_frameworks"]!["frameworks"]!.AsArray());
    }

    [Fact]
    public async Task Teardown_of_an_unknown_framework_is_a_bad_request()
    {
        var (status, body, _) = await PostAsync("""{"type":"TEARDOWN","teardown":{"framework_id":{"value":"nope"}}}"""u8.ToArray(), "application/json");

        Assert.Equal((400, "No framework found with specified ID"), (status, Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public async Task A_call_for_what_gantry_lacks_is_not_implemented()
    {
        var (status, body, _) = await PostAsync("""{"type":"GET_QUOTA"}"""u8.ToArray(), "application/json");

        Assert.Equal((501, "GET_QUOTA is not supported by Gantry's master"), (status, Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public async Task A_call_of_no_known_type_is_a_bad_request()
    {
        var (status, body, _) = await PostAsync("""{"type":"GET_EVERYTHING"}"""u8.ToArray(), "application/json");

        Assert.Equal((400, "Failed to validate master::Call: Expecting 'type' to be present"), (status, Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public async Task A_teardown_whose_framework_id_is_not_an_object_is_a_bad_request()
    {
        var (status, body, _) = await PostAsync("""{"type":"TEARDOWN","teardown":{"framework_id":"f"}}"""u8.ToArray(), "application/json");

        Assert.Equal(400, status);
        Assert.StartsWith("Failed to convert JSON into Call protobuf: ", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_accepting_neither_form_is_not_acceptable()
    {
        var (status, _, _) = await PostAsync("""{"type":"GET_HEALTH"}"""u8.ToArray(), "application/json", "text/html");

        Assert.Equal(406, status);
    }

    [Fact]
    public void Only_a_post_to_the_core_groups_path_is_an_operator_call()
    {
        Assert.Equal((true, false, false), (OperatorEndpoint.Matches(["api", "v1"], "POST"), OperatorEndpoint.Matches(["api", "v1"], "GET"),
            OperatorEndpoint.Matches(["api", "v1", "pods"], "POST")));
    }
}
