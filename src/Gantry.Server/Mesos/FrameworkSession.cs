using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Server.Kernel;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Mesos;

/// <summary>
/// One SUBSCRIBE stream of a framework: what the allocator and the master have to tell it, queued and written to the
/// response as RecordIO, with a HEARTBEAT whenever the stream was quiet for the heartbeat interval. A framework that
/// subscribes again ends its previous session; so do a TEARDOWN and the failover of the framework elsewhere.
/// </summary>
public sealed class FrameworkSession(string frameworkId, string role, string streamId) : IOfferReceiver
{
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });

    public string FrameworkId { get; } = frameworkId;

    public string StreamId { get; } = streamId;

    public void Send(JsonObject @event) => _events.Writer.TryWrite(@event);

    /// <summary>Ends the stream after the events already queued, the last of them <paramref name="error"/> if given.</summary>
    public void End(string? error = null)
    {
        if (error is not null)
        {
            _events.Writer.TryWrite(SchedulerEvents.Error(error));
        }

        _events.Writer.TryComplete();
    }

    public void OnOffers(IReadOnlyList<Offer> offers) => Send(SchedulerEvents.Offers(offers, role));

    public void OnRescind(string offerId) => Send(SchedulerEvents.Rescind(offerId));

    /// <summary>Writes the stream, each event framed as <paramref name="frame"/> frames it, until the session ends or the framework goes away.</summary>
    public async Task StreamAsync(HttpResponse response, Func<JsonObject, byte[]> frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(response);
        var reader = _events.Reader;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(SchedulerEvents.HeartbeatInterval);
            JsonObject @event;
            try
            {
                if (!await reader.WaitToReadAsync(quiet.Token).ConfigureAwait(false))
                {
                    return;
                }

                if (!reader.TryRead(out @event!))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                @event = SchedulerEvents.Heartbeat();
            }

            // One chunk per event, as Mesos sends them: simple clients read a chunk as one record.
            await response.Body.WriteAsync(frame(@event), cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
