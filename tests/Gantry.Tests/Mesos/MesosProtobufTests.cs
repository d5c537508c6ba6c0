using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Google.Protobuf;
using k8s.Models;
using Xunit;
using ProtoCall = global::Mesos.V1.Scheduler.Call;
using ProtoEvent = global::Mesos.V1.Scheduler.Event;
using V1 = global::Mesos.V1;

namespace Gantry.Tests.Mesos;

/// <summary>
/// The protobuf form of the scheduler API: every event the master sends is an Event message, each field one the
/// message declares (read back with a parser that refuses unknown fields) and no required field missing; a Call's bytes
/// read as the JSON form the master acts on.
/// </summary>
public sealed class MesosProtobufTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-29T17:00:00Z", CultureInfo.InvariantCulture);

    private static readonly JsonParser Strict = new(JsonParser.Settings.Default);

    /// <summary>The event's protobuf bytes, read back, must be the event as its JSON form says, field for field.</summary>
    private static ProtoEvent RoundTrip(JsonObject @event)
    {
        var decoded = ProtoEvent.Parser.ParseFrom(MesosProtobuf.Write(ProtoEvent.Descriptor, @event));
        Assert.Equal(Strict.Parse<ProtoEvent>(@event.ToJsonString()), decoded);
        return decoded;
    }

    [Fact]
    public void Subscribed_carries_the_framework_id_and_heartbeat_interval()
    {
        var subscribed = RoundTrip(SchedulerEvents.Subscribed("fw-1"));

        Assert.Equal((ProtoEvent.Types.Type.Subscribed, "fw-1", 15.0),
            (subscribed.Type, subscribed.Subscribed.FrameworkId.Value, subscribed.Subscribed.HeartbeatIntervalSeconds));
    }

    [Fact]
    public void Offers_carry_their_ids_agent_and_scalar_resources_allocated_to_the_role()
    {
        var resources = new ResourceVector(1500, 512L * 1024 * 1024, 1024L * 1024 * 1024, 110, ImmutableSortedDictionary<string, long>.Empty);

        var offers = RoundTrip(SchedulerEvents.Offers([new Offer("o-1", "fw-1", "n1", resources)], "analytics")).Offers.Offers_;

        var offer = Assert.Single(offers);
        Assert.Equal(("o-1", "fw-1", "n1", "n1", "analytics"), (offer.Id.Value, offer.FrameworkId.Value, offer.AgentId.Value, offer.Hostname, offer.AllocationInfo.Role));
        Assert.Equal(
            [("cpus", 1.5), ("mem", 512.0), ("disk", 1024.0)],
            offer.Resources.Select(r => (r.Name, r.Scalar.Value)));
        Assert.All(offer.Resources, r => Assert.Equal(V1.Value.Types.Type.Scalar, r.Type));
    }

    [Fact]
    public void Rescind_heartbeat_and_error_are_events_of_their_type()
    {
        Assert.Equal("o-1", RoundTrip(SchedulerEvents.Rescind("o-1")).Rescind.OfferId.Value);
        Assert.Equal(ProtoEvent.Types.Type.Heartbeat, RoundTrip(SchedulerEvents.Heartbeat()).Type);
        Assert.Equal("Framework has been removed", RoundTrip(SchedulerEvents.Error("Framework has been removed")).Error.Message);
    }

    [Fact]
    public void A_task_update_carries_its_state_source_reason_address_and_uuid_as_bytes()
    {
        var framework = new MesosFramework("fw-1") { Session = new FrameworkSession("fw-1", "*", "stream-1") };
        var task = new TaskRecord("t1", "n1", "t1-abcde")
        {
            Pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "t1-abcde" }, Status = new V1PodStatus { PodIP = "10.88.0.7", Phase = "Failed" } },
        };
        framework.Tasks[task.TaskId] = task;
        framework.Report(task, new TaskState("TASK_FAILED", "Command exited with status 3", "REASON_COMMAND_EXECUTOR_FAILED", "SOURCE_EXECUTOR"), Now);

        var status = RoundTrip(SchedulerEvents.Update(task.InFlight!)).Update.Status;

        Assert.Equal(
            ("t1", V1.TaskState.TaskFailed, V1.TaskStatus.Types.Source.Executor, V1.TaskStatus.Types.Reason.CommandExecutorFailed, "n1"),
            (status.TaskId.Value, status.State, status.Source, status.Reason, status.AgentId.Value));
        Assert.Equal("Command exited with status 3", status.Message);
        Assert.Equal(task.PendingUuid, status.Uuid.ToBase64());
        Assert.Equal(Now.ToUnixTimeMilliseconds() / 1000.0, status.Timestamp);
    }

    [Theory]
    [InlineData("TASK_STAGING", null, "SOURCE_MASTER")]
    [InlineData("TASK_RUNNING", null, "SOURCE_EXECUTOR")]
    [InlineData("TASK_KILLING", null, "SOURCE_EXECUTOR")]
    [InlineData("TASK_FINISHED", null, "SOURCE_EXECUTOR")]
    [InlineData("TASK_FAILED", "REASON_CONTAINER_LIMITATION_MEMORY", "SOURCE_AGENT")]
    [InlineData("TASK_KILLED", null, "SOURCE_EXECUTOR")]
    [InlineData("TASK_LOST", "REASON_RECONCILIATION", "SOURCE_MASTER")]
    [InlineData("TASK_UNKNOWN", "REASON_RECONCILIATION", "SOURCE_MASTER")]
    [InlineData("TASK_GONE", null, "SOURCE_MASTER")]
    [InlineData("TASK_ERROR", "REASON_TASK_INVALID", "SOURCE_MASTER")]
    [InlineData("TASK_DROPPED", "REASON_INVALID_OFFERS", "SOURCE_MASTER")]
    public void Every_state_reason_and_source_the_master_reports_is_one_the_messages_declare(string state, string? reason, string source)
    {
        var task = new TaskRecord("t1", "n1", "t1-abcde") { State = new TaskState(state, "why", reason, source), Since = Now };

        var status = RoundTrip(SchedulerEvents.Update(task.Status(null))).Update.Status;

        Assert.Equal((state, reason ?? "", source), (Name(status.State), status.HasReason ? Name(status.Reason) : "", Name(status.Source)));
    }

    private static string Name<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())!.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .Cast<Google.Protobuf.Reflection.OriginalNameAttribute>().Single().Name;

    [Fact]
    public async Task An_update_the_master_makes_of_a_task_it_never_ran_is_an_update_without_uuid()
    {
        var framework = new MesosFramework("fw-1") { Session = new FrameworkSession("fw-1", "*", "stream-1") };
        framework.ReportUnlaunched("t9", "n1", "TASK_DROPPED", "Offer is no longer valid", "REASON_INVALID_OFFERS", Now);
        framework.Session.End();

        var update = Assert.Single((await SessionEvents.StreamAsync(framework.Session)).Events);

        var status = RoundTrip(update).Update.Status;
        Assert.Equal((V1.TaskState.TaskDropped, false), (status.State, status.HasUuid));
    }

    [Fact]
    public void A_launch_call_reads_as_its_json_form_and_passes_the_masters_checks()
    {
        var task = new V1.TaskInfo
        {
            Name = "web",
            TaskId = new V1.TaskID { Value = "web-1" },
            AgentId = new V1.AgentID { Value = "n1" },
            Command = new V1.CommandInfo { Value = "sleep 10", Shell = true },
            KillPolicy = new V1.KillPolicy { GracePeriod = new V1.DurationInfo { Nanoseconds = 3_000_000_000 } },
            Resources = { new V1.Resource { Name = "cpus", Type = V1.Value.Types.Type.Scalar, Scalar = new V1.Value.Types.Scalar { Value = 0.5 } } },
        };
        var call = new ProtoCall
        {
            FrameworkId = new V1.FrameworkID { Value = "fw-1" },
            Type = ProtoCall.Types.Type.Accept,
            Accept = new ProtoCall.Types.Accept
            {
                OfferIds = { new V1.OfferID { Value = "o-1" } },
                Operations = { new V1.Offer.Types.Operation { Type = V1.Offer.Types.Operation.Types.Type.Launch, Launch = new() { TaskInfos = { task } } } },
                Filters = new V1.Filters { RefuseSeconds = 30 },
            },
        };

        var parsed = SchedulerCall.Parse(MesosProtobuf.Read(ProtoCall.Descriptor, call.ToByteArray()));

        Assert.Equal(("ACCEPT", "fw-1", null), (parsed.Type, parsed.FrameworkId, parsed.Error));
        var accept = parsed.Body["accept"]!;
        Assert.Equal(30, MesosJson.Number(accept["filters"]!["refuse_seconds"]));
        var launched = accept["operations"]![0]!["launch"]!["task_infos"]![0]!;
        Assert.Equal(("sleep 10", true), (launched["command"]!["value"]!.GetValue<string>(), launched["command"]!["shell"]!.GetValue<bool>()));
        Assert.Equal(3e9, MesosJson.Number(launched["kill_policy"]!["grace_period"]!["nanoseconds"]));
        Assert.Equal(0.5, MesosResources.Parse(launched["resources"]!.AsArray(), out var error).Cpus);
        Assert.Null(error);
    }

    [Fact]
    public void An_acknowledgement_names_the_update_by_the_uuid_bytes_the_framework_was_sent()
    {
        var uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        var call = new ProtoCall
        {
            FrameworkId = new V1.FrameworkID { Value = "fw-1" },
            Type = ProtoCall.Types.Type.Acknowledge,
            Acknowledge = new ProtoCall.Types.Acknowledge { TaskId = new V1.TaskID { Value = "t1" }, AgentId = new V1.AgentID { Value = "n1" }, Uuid = uuid },
        };

        var parsed = SchedulerCall.Parse(MesosProtobuf.Read(ProtoCall.Descriptor, call.ToByteArray()));

        Assert.Equal(uuid.ToBase64(), parsed.Body["acknowledge"]!["uuid"]!.GetValue<string>());
    }

    [Fact]
    public void A_capability_this_master_does_not_know_reads_as_no_capability_as_in_mesos()
    {
        var info = new V1.FrameworkInfo { User = "root", Name = "future" };
        info.Capabilities.Add(new V1.FrameworkInfo.Types.Capability { Type = (V1.FrameworkInfo.Types.Capability.Types.Type)999 });
        var call = new ProtoCall { Type = ProtoCall.Types.Type.Subscribe, Subscribe = new ProtoCall.Types.Subscribe { FrameworkInfo = info } };

        var parsed = SchedulerCall.Parse(MesosProtobuf.Read(ProtoCall.Descriptor, call.ToByteArray()));

        Assert.Null(parsed.Error);
        Assert.Null(parsed.Body["subscribe"]!["framework_info"]!["capabilities"]![0]!["type"]);
    }

    [Fact]
    public void A_decline_refusing_for_ever_is_read_as_mesos_reads_it()
    {
        var call = new ProtoCall
        {
            FrameworkId = new V1.FrameworkID { Value = "fw-1" },
            Type = ProtoCall.Types.Type.Decline,
            Decline = new ProtoCall.Types.Decline { OfferIds = { new V1.OfferID { Value = "o-1" } }, Filters = new V1.Filters { RefuseSeconds = double.PositiveInfinity } },
        };

        var parsed = SchedulerCall.Parse(MesosProtobuf.Read(ProtoCall.Descriptor, call.ToByteArray()));

        Assert.Null(parsed.Error);
        Assert.Equal(double.PositiveInfinity, MesosJson.Double(parsed.Body["decline"]!["filters"]!["refuse_seconds"]));
    }

    [Fact]
    public void Bytes_that_are_not_a_call_are_refused()
    {
        Assert.Throws<FormatException>(() => MesosProtobuf.Read(ProtoCall.Descriptor, [0x0a, 0xff, 0xff]));
    }

    [Fact]
    public void A_call_missing_a_required_field_is_refused_as_mesos_refuses_it()
    {
        // FrameworkID.value is required: a framework_id (field 1) holding an empty message lacks it.
        Assert.Throws<FormatException>(() => MesosProtobuf.Read(ProtoCall.Descriptor, [0x0a, 0x00, 0x10, 0x0b]));
    }

    [Fact]
    public void A_task_as_the_operator_api_lists_it_is_a_task_message_with_its_latest_status()
    {
        var framework = new MesosFramework("fw-1") { Role = "analytics" };
        var task = new TaskRecord("t1", "n1", "t1-abcde")
        {
            Pod = new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "t1-abcde" },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "task" }] },
                Status = new V1PodStatus { PodIP = "10.88.0.7", Phase = "Running" },
            },
        };
        framework.Tasks[task.TaskId] = task;
        framework.Report(task, TaskState.Running, Now);

        var message = Strict.Parse<V1.Task>(OperatorObjects.Task(task, framework).ToJsonString());

        Assert.True(message.IsInitialized());
        Assert.Equal(("t1", "fw-1", "n1", V1.TaskState.TaskRunning, "analytics"), (message.TaskId.Value, message.FrameworkId.Value, message.AgentId.Value, message.State, message.Resources[0].AllocationInfo.Role));
        Assert.Equal(V1.TaskState.TaskRunning, Assert.Single(message.Statuses).State);
    }
}
