using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Pods;

/// <summary>
/// Posts the events the kubelet posts about a pod and its containers (Created, Started, Killing, BackOff, Failed,
/// FailedMount, Unhealthy, ...), from the component "kubelet" on this node. An event repeated within
/// <see cref="SimilarWindow"/> bumps the count of the one already posted, as client-go's event correlator does, so a
/// crash-looping container or a failing probe keeps one event, not one per occurrence. Fire and forget, in order:
/// an event that cannot be written is logged and dropped, never retried.
/// </summary>
public sealed class PodEvents(IKubernetes client, V1Pod pod, TimeProvider time, ILogger logger)
{
    /// <summary>client-go's aggregation interval (<c>defaultAggregateIntervalInSeconds</c>), within which a repeat counts.</summary>
    private static readonly TimeSpan SimilarWindow = TimeSpan.FromMinutes(10);

    /// <summary>The least time between two updates of one event's count.</summary>
    private static readonly TimeSpan RepeatInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;
    private readonly Dictionary<(string? Container, string Type, string Reason, string Message), Posted> _posted = [];

    public void Warning(string? container, string reason, string message) => Post(container, "Warning", reason, message);

    public void Normal(string? container, string reason, string message) => Post(container, "Normal", reason, message);

    private void Post(string? container, string type, string reason, string message)
    {
        var now = PodStatusBuilder.Seconds(time.GetUtcNow().UtcDateTime);
        lock (_gate)
        {
            // One after another, so a repeat finds the event it repeats.
            _last = _last.ContinueWith(_ => PostAsync(container, type, reason, message, now), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task PostAsync(string? container, string type, string reason, string message, DateTime now)
    {
        try
        {
            var key = (container, type, reason, message);
            if (_posted.TryGetValue(key, out var posted) && now - posted.First < SimilarWindow)
            {
                posted.Count++;
                if (now - posted.LastSent < RepeatInterval)
                {
                    // A container retried every pass would patch its event many times a second; the next repeat
                    // after the interval carries the count.
                    return;
                }

                posted.LastSent = now;
                var patch = new JsonObject { ["count"] = posted.Count, ["lastTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
                await client.CoreV1.PatchNamespacedEventAsync(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), posted.Name, pod.Namespace()).ConfigureAwait(false);
                return;
            }

            var ev = Event(container, type, reason, message, now);
            await client.CoreV1.CreateNamespacedEventAsync(ev, pod.Namespace()).ConfigureAwait(false);
            _posted[key] = new Posted(ev.Metadata.Name, now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Could not post event {Reason} for pod {Namespace}/{Pod}", reason, pod.Namespace(), pod.Name());
        }
    }

    private Corev1Event Event(string? container, string type, string reason, string message, DateTime now)
    {
        var node = pod.Spec.NodeName;
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{pod.Name()}.{((time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100).ToString("x", CultureInfo.InvariantCulture)}",
                NamespaceProperty = pod.Namespace(),
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Name = pod.Name(),
                NamespaceProperty = pod.Namespace(),
                Uid = pod.Uid(),
                FieldPath = container is null ? null : FieldPath(container),
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = "kubelet", Host = node },
            ReportingComponent = "kubelet",
            ReportingInstance = node,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
    }

    /// <summary>The container's field path as the kubelet's references name it: spec.containers{NAME}, or spec.initContainers{NAME}.</summary>
    private string FieldPath(string container) =>
        pod.Spec.InitContainers?.Any(c => c.Name == container) == true ? $"spec.initContainers{{{container}}}" : $"spec.containers{{{container}}}";

    private sealed class Posted(string name, DateTime first)
    {
        public string Name { get; } = name;

        public DateTime First { get; } = first;

        public int Count { get; set; } = 1;

        public DateTime LastSent { get; set; } = first;
    }
}
