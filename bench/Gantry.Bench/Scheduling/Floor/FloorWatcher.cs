using System.Threading.Channels;

namespace Gantry.Bench.Scheduling.Floor;

/// <summary>One open watch of the protocol floor: the encoded events it has yet to send, in the order they were made.</summary>
internal sealed class FloorWatcher
{
    private readonly Channel<byte[]> _events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public FloorWatcher(string? @namespace, bool boundOnly)
    {
        Namespace = @namespace;
        BoundOnly = boundOnly;
    }

    /// <summary>Null: every namespace.</summary>
    public string? Namespace { get; }

    /// <summary>The selection <c>spec.nodeName!=</c>: only pods bound to a node.</summary>
    public bool BoundOnly { get; }

    public bool Wants(string @namespace, bool bound) => (Namespace is null || Namespace == @namespace) && (!BoundOnly || bound);

    public void Send(byte[] watchEvent) => _events.Writer.TryWrite(watchEvent);

    /// <summary>Writes events as they come, one flush for as many as are waiting, until the client goes.</summary>
    public async Task StreamAsync(Stream body, CancellationToken cancellationToken)
    {
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var watchEvent))
            {
                await body.WriteAsync(watchEvent, cancellationToken).ConfigureAwait(false);
            }

            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
