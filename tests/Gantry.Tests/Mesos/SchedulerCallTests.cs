using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using Xunit;

namespace Gantry.Tests.Mesos;

public sealed class SchedulerCallTests
{
    private static SchedulerCall Parse(string json) => SchedulerCall.Parse(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void A_subscribe_without_framework_info_is_refused()
    {
        var call = Parse("""{"type":"SUBSCRIBE","subscribe":{}}""");

        Assert.Equal("Expecting 'subscribe' to be present", call.Error);
    }

    [Theory]
    [InlineData("""{"name":"spark"}""", "subscribe.framework_info.user")]
    [InlineData("""{"user":"root"}""", "subscribe.framework_info.name")]
    public void A_subscribe_whose_framework_info_lacks_user_or_name_is_not_a_call(string info, string missing)
    {
        var thrown = Assert.Throws<JsonException>(() => Parse($$$"""{"type":"SUBSCRIBE","subscribe":{"framework_info":{{{info}}}}}"""));

        Assert.Equal($"Missing required fields: {missing}", thrown.Message);
    }

    [Fact]
    public void A_subscribe_whose_framework_info_id_differs_from_its_framework_id_is_refused()
    {
        var call = Parse("""
            {"type":"SUBSCRIBE","framework_id":{"value":"a"},
             "subscribe":{"framework_info":{"user":"root","name":"spark","id":{"value":"b"}}}}
            """);

        Assert.Equal("'framework_id' differs from 'subscribe.framework_info.id'", call.Error);
    }

    [Fact]
    public void A_subscribe_naming_its_framework_in_both_places_is_valid()
    {
        var call = Parse("""
            {"type":"SUBSCRIBE","framework_id":{"value":"a"},
             "subscribe":{"framework_info":{"user":"root","name":"spark","id":{"value":"a"}}}}
            """);

        Assert.Null(call.Error);
        Assert.Equal("a", call.FrameworkId);
    }

    [Fact]
    public void A_call_other_than_subscribe_without_framework_id_is_refused()
    {
        var call = Parse("""{"type":"REVIVE"}""");

        Assert.Equal("Expecting 'framework_id' to be present", call.Error);
    }

    [Fact]
    public void An_accept_without_its_accept_message_is_refused()
    {
        var call = Parse("""{"type":"ACCEPT","framework_id":{"value":"f"}}""");

        Assert.Equal("Expecting 'accept' to be present", call.Error);
    }

    [Fact]
    public void A_kill_without_a_task_id_value_is_not_a_call()
    {
        var thrown = Assert.Throws<JsonException>(() => Parse("""{"type":"KILL","framework_id":{"value":"f"},"kill":{"task_id":{}}}"""));

        Assert.Equal("Missing required fields: kill.task_id.value", thrown.Message);
    }

    [Fact]
    public void An_unknown_call_type_is_not_a_call()
    {
        var thrown = Assert.Throws<JsonException>(() => Parse("""{"type":"LAUNCH_EVERYTHING","framework_id":{"value":"f"}}"""));

        Assert.Equal("Invalid value 'LAUNCH_EVERYTHING' for enum 'mesos.v1.scheduler.Call.Type'", thrown.Message);
    }

    [Fact]
    public void A_field_of_the_wrong_json_type_is_not_a_call()
    {
        var thrown = Assert.Throws<JsonException>(() => Parse("""{"type":"KILL","framework_id":{"value":"f"},"kill":{"task_id":{"value":5}}}"""));

        Assert.Equal("'kill.task_id.value' is not a string", thrown.Message);
    }

    [Fact]
    public void A_refuse_seconds_that_is_not_a_number_is_not_a_call()
    {
        var thrown = Assert.Throws<JsonException>(() => Parse("""
            {"type":"DECLINE","framework_id":{"value":"f"},"decline":{"offer_ids":[{"value":"o1"}],"filters":{"refuse_seconds":"soon"}}}
            """));

        Assert.Equal("'decline.filters.refuse_seconds' is not a number", thrown.Message);
    }

    [Fact]
    public void A_valid_accept_parses_without_error()
    {
        var call = Parse("""
            {"type":"ACCEPT","framework_id":{"value":"f"},
             "accept":{"offer_ids":[{"value":"offer-1"}],
                       "operations":[{"type":"LAUNCH","launch":{"task_infos":[
                         {"name":"t","task_id":{"value":"t1"},"agent_id":{"value":"n1"},"command":{"value":"true"}}]}}],
                       "filters":{"refuse_seconds":10}}}
            """);

        Assert.Null(call.Error);
        Assert.Equal(("ACCEPT", "f"), (call.Type, call.FrameworkId));
    }

    [Fact]
    public void A_launched_task_without_an_agent_id_is_not_a_call()
    {
        var thrown = Assert.Throws<JsonException>(() => Parse("""
            {"type":"ACCEPT","framework_id":{"value":"f"},
             "accept":{"offer_ids":[{"value":"offer-1"}],
                       "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"t","task_id":{"value":"t1"}}]}}]}}
            """));

        Assert.Equal("Missing required fields: accept.operations.launch.task_infos.agent_id.value", thrown.Message);
    }

    [Fact]
    public void A_subscribe_whose_capability_type_is_not_a_string_is_not_a_call()
    {
        // The master reads each capability's type as a string when the framework subscribes, after the call was
        // taken as valid: a number there must be refused here, as a 400, not met there as an exception.
        Assert.Throws<JsonException>(() => Parse("""
            {"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"spark","capabilities":[{"type":5}]}}}
            """));
    }
}
