using System.Threading.Channels;

namespace Gantry.Server.Storage;

/// <summary>
/// One watcher's buffer of live events. The writer never waits on it: when the buffer is full the feed
/// ends without an error (disposal or a stopped writer ends it with one), and the watcher catches up from history.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<StoreEvent> _events;

    public WatchSubscription(int capacity)
    {
        _events = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<StoreEvent> Reader => _events.Reader;

    /// <summary>Buffers <paramref name="events"/>; false (and the feed ends) when the buffer is full.</summary>
    public bool TryDeliver(List<StoreEvent> events)
    {
        foreach (var storeEvent in events)
        {
            if (!_events.Writer.TryWrite(storeEvent))
            {
                _events.Writer.TryComplete();
                return false;
            }
        }

        return true;
    }

    public void Close(Exception error) => _events.Writer.TryComplete(error);
}
