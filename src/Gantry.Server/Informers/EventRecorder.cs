using System.Threading.Channels;
using Gantry.Server.Api;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Informers;

/// <summary>
/// Records core/v1 Events about objects, as client-go's recorder does: in the background (a decision
/// never waits for its event), correlated first (<see cref="EventCorrelator"/>): a repeat raises the existing
/// event's count, many alike are combined, and a source's events about one object are rate-limited.
/// </summary>
public sealed class EventRecorder
{
    private readonly InProcessClient _client;
    private readonly string _component;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Corev1Event> _pending = Channel.CreateBounded<Corev1Event>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly EventCorrelator _correlator;

    public EventRecorder(InProcessClient client, string component, TimeProvider time, ILogger logger)
    {
        _client = client;
        _component = component;
        _time = time;
        _logger = logger;
        _correlator = new EventCorrelator(time);
    }

    /// <summary>
    /// Queues an event; <paramref name="type"/> is <c>Normal</c> or <c>Warning</c>. <paramref name="component"/>
    /// names the loop that decided (kubectl's "From" column), the recorder's own by default.
    /// </summary>
    public void Record(IKubernetesObject<V1ObjectMeta> about, string type, string reason, string message, string? component = null)
    {
        component ??= _component;
        var now = _time.GetUtcNow().UtcDateTime;
        _pending.Writer.TryWrite(new Corev1Event
        {
            Metadata = new V1ObjectMeta { NamespaceProperty = about.Namespace() ?? "default" },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = about.ApiVersion,
                Kind = about.Kind,
                Name = about.Name(),
                NamespaceProperty = about.Namespace(),
                Uid = about.Uid(),
                ResourceVersion = about.ResourceVersion(),
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        });
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in _pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await WriteAsync(e, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException ex)
                {
                    _logger.LogDebug("Event {Reason} about {Kind} {Name} not recorded: {Message}", e.Reason, e.InvolvedObject.Kind, e.InvolvedObject.Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(Corev1Event recorded, CancellationToken cancellationToken)
    {
        if (_correlator.Correlate(recorded) is not { } e)
        {
            return;
        }

        if (e.Count > 1)
        {
            try
            {
                await _client.MutateAsync<Corev1Event>(e.Namespace(), e.Name(), current =>
                {
                    current.Count = e.Count;
                    current.LastTimestamp = e.LastTimestamp;
                    current.Message = e.Message;
                }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Never written (its earlier occurrences were over the allowance), or deleted since: written anew, as client-go does.
            }
        }

        await _client.CreateAsync(e, cancellationToken).ConfigureAwait(false);
    }
}
