using System.Text.Json.Nodes;
using Google.Protobuf;
using ProtoCall = global::Mesos.V1.Scheduler.Call;
using ProtoEvent = global::Mesos.V1.Scheduler.Event;

namespace Gantry.Server.Mesos;

/// <summary>
/// The <c>application/x-protobuf</c> form of Mesos' v1 scheduler API, as mesos-go, the Java and C++ scheduler libraries
/// and most other v1 frameworks speak it, translated to and from the JSON form the master acts on. The translation is
/// Mesos' own: its JSON form is the messages of <c>mesos/v1/scheduler/scheduler.proto</c> with their proto field names,
/// enums by name and bytes in base64, which is protobuf's JSON mapping with the original names kept.
/// </summary>
public static class SchedulerProtobuf
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    // A field of Gantry's JSON that these messages lack is left out of the protobuf form, not allowed to end a stream;
    // the tests hold every event to the messages with a strict parser.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>A Call's bytes as the JSON object Mesos would have been sent for it.</summary>
    /// <exception cref="FormatException">The bytes are not a Call, or miss one of its required fields.</exception>
    public static JsonObject ReadCall(byte[] body)
    {
        ProtoCall call;
        try
        {
            call = ProtoCall.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        // C++'s ParseFromString, which Mesos' master calls, refuses a message without its required fields; C#'s parser does not check.
        if (!call.IsInitialized())
        {
            throw new FormatException("Message missing required fields");
        }

        return JsonNode.Parse(Formatter.Format(call))!.AsObject();
    }

    /// <summary>An event, given in its JSON form, as the bytes of an Event message.</summary>
    /// <exception cref="InvalidOperationException">The event is not an Event, or lacks one of its required fields.</exception>
    public static byte[] WriteEvent(JsonObject @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ProtoEvent message;
        try
        {
            message = Parser.Parse<ProtoEvent>(@event.ToJsonString());
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidOperationException($"A {@event["type"]} event is not a mesos.v1.scheduler.Event: {ex.Message}", ex);
        }

        if (!message.IsInitialized())
        {
            throw new InvalidOperationException($"A {@event["type"]} event lacks a required field of mesos.v1.scheduler.Event: {@event.ToJsonString()}");
        }

        return message.ToByteArray();
    }
}
