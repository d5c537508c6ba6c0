using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Marathon.Events;

/// <summary>
/// Marathon's event bus, which <c>GET /v2/events</c> streams: the API's own changes (<c>api_post_event</c>,
/// <c>app_terminated_event</c>) as the endpoint makes them, and <c>status_update_event</c> for each change of a task's
/// state, from the pods of the apps' Deployments.
/// </summary>
public sealed class MarathonEvents
{
    /// <summary>
    /// How far a subscriber may fall behind. One that falls further is dropped (its stream ends) rather than let the bus
    /// hold events for it, or slow the pod informer that publishes them; Marathon drops a slow event stream client too.
    /// </summary>
    private const int Backlog = 1024;

    private readonly Lock _gate = new();
    private readonly List<Channel<MarathonEvent>> _subscribers = [];
    private readonly Informer<V1Deployment> _deployments;
    private readonly TimeProvider _time;

    public MarathonEvents(SharedInformers informers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _deployments = informers.For<V1Deployment>();
        _time = time;
        informers.For<V1Pod>().OnChange(OnPod);
    }

    public ChannelReader<MarathonEvent> Subscribe()
    {
        var channel = Channel.CreateBounded<MarathonEvent>(new BoundedChannelOptions(Backlog) { SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<MarathonEvent> reader)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    /// <summary>Sends <paramref name="body"/>, with its <c>eventType</c> and <c>timestamp</c> added, to every subscriber.</summary>
    public void Publish(string type, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        body["eventType"] = type;
        body["timestamp"] = AppView.Timestamp(_time.GetUtcNow());
        var published = new MarathonEvent(type, body.ToJsonString());
        lock (_gate)
        {
            _subscribers.RemoveAll(channel =>
            {
                if (channel.Writer.TryWrite(published))
                {
                    return false;
                }

                channel.Writer.TryComplete();
                return true;
            });
        }
    }

    /// <summary>An event stream's first event: who attached.</summary>
    public MarathonEvent Attached(string remoteAddress) =>
        new("event_stream_attached", new JsonObject
        {
            ["remoteAddress"] = remoteAddress,
            ["eventType"] = "event_stream_attached",
            ["timestamp"] = AppView.Timestamp(_time.GetUtcNow()),
        }.ToJsonString());

    private void OnPod(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        if (pod.Metadata.NamespaceProperty != AppDeployments.Namespace
            || pod.Metadata.Labels?.TryGetValue(AppDeployments.AppLabel, out var name) != true
            || _deployments.Get(AppDeployments.Namespace, name!) is not { } app
            || app.Metadata.Annotations?.ContainsKey(AppDeployments.DefinitionAnnotation) != true)
        {
            return;
        }

        if (TaskStatusChange(old, current) is { } status)
        {
            Publish("status_update_event", StatusUpdate(app, pod, status));
        }
    }

    /// <summary>
    /// The task state to report for a pod's change, or null when its state did not change. A pod that appears is
    /// staging, which Mesos never reports; a pod that goes without having ended was killed.
    /// </summary>
    internal static string? TaskStatusChange(V1Pod? old, V1Pod? current)
    {
        var before = old is null ? null : AppView.StateOf(old);
        var after = current is null
            ? Mesos.TaskState.IsTerminalState(before!) ? before : "TASK_KILLED"
            : AppView.StateOf(current);
        return after == before || after is "TASK_STAGING" ? null : after;
    }

    internal static JsonObject StatusUpdate(V1Deployment app, V1Pod pod, string status)
    {
        var task = AppView.Task(app, pod);
        return new JsonObject
        {
            ["slaveId"] = task["slaveId"]?.DeepClone(),
            ["taskId"] = task["id"]!.DeepClone(),
            ["taskStatus"] = status,
            ["message"] = "",
            ["appId"] = task["appId"]!.DeepClone(),
            ["host"] = task["host"]?.DeepClone(),
            ["ipAddresses"] = task["ipAddresses"]!.DeepClone(),
            ["ports"] = task["ports"]!.DeepClone(),
            ["version"] = task["version"]?.DeepClone(),
        };
    }
}
