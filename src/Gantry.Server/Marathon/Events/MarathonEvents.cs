using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Marathon.Events;

/// <summary>
/// Marathon's event bus, which <c>GET /v2/events</c> streams: the API's own changes (<c>api_post_event</c>,
/// <c>app_terminated_event</c>) as the endpoint makes them, <c>status_update_event</c> for each change of a task's
/// state, from the pods of the apps' Deployments, and <c>deployment_success</c> when a Deployment has rolled out.
/// </summary>
public sealed class MarathonEvents
{
    /// <summary>
    /// How far a subscriber may fall behind. One that falls further is dropped (its stream ends) rather than let the bus
    /// hold events for it, or slow the pod informer that publishes them; Marathon drops a slow event stream client too.
    /// </summary>
    private const int Backlog = 1024;

    private const int DeletedApps = 64;

    private readonly Lock _gate = new();
    private readonly List<Channel<MarathonEvent>> _subscribers = [];
    private readonly Informer<V1Deployment> _deployments;

    // Apps deleted lately, by Deployment name: an app's Deployment goes before its pods (they are collected after it), and
    // their TASK_KILLED still names the app. Bounded, since nothing says when the last of an app's pods has gone. Guarded by _gate.
    private readonly LruCache<string, V1Deployment> _deleted = new(DeletedApps);
    private readonly TimeProvider _time;

    public MarathonEvents(SharedInformers informers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _deployments = informers.For<V1Deployment>();
        _time = time;
        _deployments.OnChange(OnDeployment);
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

    private void OnDeployment(V1Deployment? old, V1Deployment? current)
    {
        var app = current ?? old!;
        if (!IsApp(app))
        {
            return;
        }

        if (current is null)
        {
            lock (_gate)
            {
                _deleted.Set(app.Metadata.Name, app);
            }
        }
        else if (DeploymentResults.Succeeded(old, current))
        {
            // A group's deployment succeeds once, when the last of its apps has rolled out.
            var id = current.Metadata.Annotations[AppDeployments.DeploymentIdAnnotation];
            var together = _deployments.ListInNamespace(AppDeployments.Namespace)
                .Where(d => IsApp(d) && d.Metadata.Annotations.TryGetValue(AppDeployments.DeploymentIdAnnotation, out var other) && other == id)
                .ToList();
            if (!together.Any(AppView.InProgress))
            {
                Publish(DeploymentResults.EventType, DeploymentResults.Event(together.Count > 0 ? together : [current]));
            }
        }
    }

    private void OnPod(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        if (pod.Metadata.NamespaceProperty != AppDeployments.Namespace
            || pod.Metadata.Labels?.TryGetValue(AppDeployments.AppLabel, out var name) != true
            || AppNamed(name!) is not { } app)
        {
            return;
        }

        if (TaskStatusUpdates.Change(old, current) is { } status)
        {
            Publish(TaskStatusUpdates.EventType, TaskStatusUpdates.Event(app, pod, status));
        }
    }

    private V1Deployment? AppNamed(string name)
    {
        if (_deployments.Get(AppDeployments.Namespace, name) is { } app)
        {
            return IsApp(app) ? app : null;
        }

        lock (_gate)
        {
            return _deleted.TryGet(name, out var deleted) ? deleted : null;
        }
    }

    private static bool IsApp(V1Deployment deployment) =>
        deployment.Metadata.NamespaceProperty == AppDeployments.Namespace
        && deployment.Metadata.Annotations?.ContainsKey(AppDeployments.DefinitionAnnotation) == true;
}
