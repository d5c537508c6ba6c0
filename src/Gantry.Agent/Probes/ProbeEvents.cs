using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Probes;

/// <summary>
/// Posts the events kubelet's prober and container killer post about a pod's containers
/// (Unhealthy, ProbeWarning, Killing), from the component "kubelet" on this node. Fire and
/// forget: an event that cannot be written is logged and dropped, never retried.
/// </summary>
public sealed class ProbeEvents(IKubernetes client, V1Pod pod, TimeProvider time, ILogger logger)
{
    public void Warning(string container, string reason, string message) => Post(container, "Warning", reason, message);

    public void Normal(string container, string reason, string message) => Post(container, "Normal", reason, message);

    private void Post(string container, string type, string reason, string message)
    {
        var now = time.GetUtcNow();
        var node = pod.Spec.NodeName;
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{pod.Name()}.{((now - DateTimeOffset.UnixEpoch).Ticks * 100).ToString("x", CultureInfo.InvariantCulture)}",
                NamespaceProperty = pod.Namespace(),
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Name = pod.Name(),
                NamespaceProperty = pod.Namespace(),
                Uid = pod.Uid(),
                FieldPath = $"spec.containers{{{container}}}",
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = "kubelet", Host = node },
            ReportingComponent = "kubelet",
            ReportingInstance = node,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        _ = Task.Run(async () =>
        {
            try
            {
                await client.CoreV1.CreateNamespacedEventAsync(ev, pod.Namespace()).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogDebug(ex, "Could not post event {Reason} for pod {Namespace}/{Pod}", reason, pod.Namespace(), pod.Name());
            }
        });
    }
}
