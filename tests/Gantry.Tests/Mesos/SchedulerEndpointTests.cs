using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Gantry.Tests.Controllers;
using Gantry.Tests.Kernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Google.Protobuf;
using Xunit;
using ProtoCall = global::Mesos.V1.Scheduler.Call;
using ProtoEvent = global::Mesos.V1.Scheduler.Event;

namespace Gantry.Tests.Mesos;

/// <summary>The scheduler API's HTTP answers, over a master with a real allocator and registry whose loop never runs.</summary>
public sealed class SchedulerEndpointTests : IAsyncLifetime
{
    private MasterSetup _setup = null!;
    private MesosMaster _master = null!;
    private SchedulerEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _setup = await MasterSetup.CreateAsync();
        _master = _setup.Master;
        _endpoint = new SchedulerEndpoint(_master, NullLogger<SchedulerEndpoint>.Instance);
        await _setup.Registry.RunInformersAsync();
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_call_before_the_master_has_recovered_its_tasks_is_unavailable()
    {
        await using var registry = await InformedRegistry.CreateAsync();
        var allocator = new Allocator(new ResourceLedger(), registry.Context.Time);
        using var loop = new AllocationLoop(allocator);
        using var master = new MesosMaster(allocator, loop, registry.Client, registry.Informers, registry.Context.Time, NullLogger<MesosMaster>.Instance);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        using var body = new MemoryStream();
        context.Response.Body = body;

        await new SchedulerEndpoint(master, NullLogger<SchedulerEndpoint>.Instance).HandleAsync(context);

        Assert.Equal((503, "Master has not finished recovery"), (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray())));
    }

    private const string SparkInfo = """{"user":"root","name":"spark"}""";

    /// <summary>Posts a call and returns the answer; a stream is read for a moment, then the client goes away.</summary>
    private async Task<(int Status, string Body, HttpResponse Response)> PostAsync(
        string json, string? streamId = null, string? contentType = "application/json", string method = "POST", string? accept = null)
    {
        var (status, body, response) = await PostBytesAsync(Encoding.UTF8.GetBytes(json), streamId, contentType, method, accept);
        return (status, Encoding.UTF8.GetString(body), response);
    }

    private async Task<(int Status, byte[] Body, HttpResponse Response)> PostBytesAsync(
        byte[] call, string? streamId = null, string? contentType = "application/x-protobuf", string method = "POST", string? accept = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(call);
        if (streamId is not null)
        {
            context.Request.Headers["Mesos-Stream-Id"] = streamId;
        }

        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        context.RequestAborted = leave.Token;
        await _endpoint.HandleAsync(context);
        return (context.Response.StatusCode, body.ToArray(), context.Response);
    }

    private static byte[] ProtobufSubscribe() =>
        new ProtoCall
        {
            Type = ProtoCall.Types.Type.Subscribe,
            Subscribe = new ProtoCall.Types.Subscribe { FrameworkInfo = new global::Mesos.V1.FrameworkInfo { User = "root", Name = "spark" } },
        }.ToByteArray();

    private FrameworkSession Subscribe() => _master.Subscribe(JsonNode.Parse(SparkInfo)!.AsObject(), null, []);

    [Fact]
    public async Task A_call_that_is_not_a_post_is_refused()
    {
        var (status, body, _) = await PostAsync("{}", method: "GET");

        Assert.Equal((405, "Expecting 'POST', received 'GET'"), (status, body));
    }

    [Fact]
    public async Task A_call_in_another_form_is_refused_as_an_unsupported_media_type()
    {
        var (status, body, _) = await PostAsync("type: REVIVE", contentType: "application/yaml");

        Assert.Equal((415, "Expecting 'Content-Type' of application/json or application/x-protobuf"), (status, body));
    }

    [Fact]
    public async Task A_call_without_a_content_type_is_a_bad_request()
    {
        var (status, body, _) = await PostAsync("{}", contentType: null);

        Assert.Equal((400, "Expecting 'Content-Type' to be present"), (status, body));
    }

    [Fact]
    public async Task A_protobuf_subscribe_accepting_protobuf_only_streams_protobuf_events()
    {
        var (status, body, response) = await PostBytesAsync(ProtobufSubscribe(), accept: "application/x-protobuf");

        Assert.Equal((200, "application/x-protobuf"), (status, response.ContentType));
        var subscribed = ProtoEvent.Parser.ParseFrom(SessionEvents.RecordBytes(body)[0]);
        Assert.Equal(ProtoEvent.Types.Type.Subscribed, subscribed.Type);
        Assert.False(string.IsNullOrEmpty(subscribed.Subscribed.FrameworkId.Value));
    }

    [Fact]
    public async Task A_protobuf_subscribe_without_an_accept_header_streams_json_as_mesos_does()
    {
        var (status, body, response) = await PostBytesAsync(ProtobufSubscribe());

        Assert.Equal((200, "application/json"), (status, response.ContentType));
        Assert.Equal("SUBSCRIBED", SessionEvents.Records(body)[0]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_subscribe_accepting_neither_form_is_not_acceptable()
    {
        var (status, body, _) = await PostBytesAsync(ProtobufSubscribe(), accept: "text/html, application/json;q=0");

        Assert.Equal((406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"), (status, Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public async Task A_protobuf_call_of_a_subscribed_framework_on_its_stream_is_accepted()
    {
        var session = Subscribe();
        var revive = new ProtoCall { FrameworkId = new global::Mesos.V1.FrameworkID { Value = session.FrameworkId }, Type = ProtoCall.Types.Type.Revive };

        var (status, _, _) = await PostBytesAsync(revive.ToByteArray(), session.StreamId);

        Assert.Equal(202, status);
    }

    [Fact]
    public async Task A_protobuf_body_that_is_not_a_call_is_a_bad_request()
    {
        var (status, body, _) = await PostBytesAsync("{\"type\":\"REVIVE\"}"u8.ToArray());

        Assert.Equal((400, "Failed to parse body into Call protobuf"), (status, Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public async Task A_body_that_is_not_a_call_is_a_bad_request_saying_why()
    {
        var (status, body, _) = await PostAsync("""{"type":"KILL","framework_id":{"value":"f"},"kill":{"task_id":{"value":5}}}""");

        Assert.Equal(400, status);
        Assert.StartsWith("Failed to convert JSON into Call protobuf: ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_that_fails_validation_is_a_bad_request_saying_why()
    {
        var (status, body, _) = await PostAsync("""{"type":"REVIVE"}""");

        Assert.Equal((400, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present"), (status, body));
    }

    [Fact]
    public async Task A_subscribe_is_answered_with_its_stream_id_and_a_recordio_stream_starting_with_subscribed()
    {
        var (status, body, response) = await PostAsync($$$"""{"type":"SUBSCRIBE","subscribe":{"framework_info":{{{SparkInfo}}}}}""");

        Assert.Equal(200, status);
        Assert.False(string.IsNullOrEmpty(response.Headers["Mesos-Stream-Id"]));
        var first = SessionEvents.Records(Encoding.UTF8.GetBytes(body))[0];
        Assert.Equal("SUBSCRIBED", first["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_subscribe_that_names_a_stream_is_refused()
    {
        var (status, body, _) = await PostAsync($$$"""{"type":"SUBSCRIBE","subscribe":{"framework_info":{{{SparkInfo}}}}}""", streamId: "s");

        Assert.Equal((400, "Subscribe calls should not include the 'Mesos-Stream-Id' header"), (status, body));
    }

    [Fact]
    public async Task A_json_call_of_no_type_the_master_knows_has_no_type_as_mesos_reads_it()
    {
        var (status, body, _) = await PostAsync("""{"type":"GET_EVERYTHING"}""");

        Assert.Equal((400, "Failed to validate scheduler::Call: Expecting 'type' to be present"), (status, body));
    }

    [Fact]
    public async Task A_call_of_a_subscribed_framework_on_its_stream_is_accepted()
    {
        var session = Subscribe();

        var (status, _, _) = await PostAsync($$$"""{"type":"REVIVE","framework_id":{"value":"{{{session.FrameworkId}}}"}}""", session.StreamId);

        Assert.Equal(202, status);
    }

    [Fact]
    public async Task A_call_of_an_unknown_framework_is_refused()
    {
        var (status, body, _) = await PostAsync("""{"type":"REVIVE","framework_id":{"value":"nobody"}}""", "s");

        Assert.Equal((400, "Framework cannot be found"), (status, body));
    }

    [Fact]
    public async Task An_accept_with_an_operation_other_than_launch_is_refused_before_anything_changes()
    {
        var session = Subscribe();

        var (status, body, _) = await PostAsync($$$"""
            {"type":"ACCEPT","framework_id":{"value":"{{{session.FrameworkId}}}"},
             "accept":{"offer_ids":[{"value":"offer-1"}],"operations":[{"type":"RESERVE"}]}}
            """, session.StreamId);

        Assert.Equal((400, "Operation RESERVE is not supported: Gantry's offers hold no reservations or persistent volumes"), (status, body));
    }

    [Fact]
    public async Task A_call_for_executors_is_not_implemented()
    {
        var session = Subscribe();

        var (status, _, _) = await PostAsync($$$"""{"type":"MESSAGE","framework_id":{"value":"{{{session.FrameworkId}}}"}}""", session.StreamId);

        Assert.Equal(501, status);
    }

    [Fact]
    public async Task A_subscribe_whose_capability_type_is_not_an_enum_value_is_a_bad_request()
    {
        var (status, body, _) = await PostAsync("""
            {"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"spark","capabilities":[{"type":true}]}}}
            """);

        Assert.Equal(400, status);
        Assert.StartsWith("Failed to convert JSON into Call protobuf: ", body, StringComparison.Ordinal);
    }
}
