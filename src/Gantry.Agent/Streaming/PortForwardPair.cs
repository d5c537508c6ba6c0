using Gantry.Agent.Streaming.Spdy;

namespace Gantry.Agent.Streaming;

/// <summary>The data and error streams kubectl opens, in either order, for one forwarded connection.</summary>
internal sealed class PortForwardPair(string requestId)
{
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string RequestId { get; } = requestId;

    public SpdyStream? Data { get; private set; }

    public SpdyStream? Error { get; private set; }

    public bool IsComplete => Data is not null && Error is not null;

    /// <summary>Completes once both streams have arrived.</summary>
    public Task Completion => _complete.Task;

    /// <summary>Adds a stream of type <c>data</c> or <c>error</c>; false when that type is already present.</summary>
    public bool TryAdd(string streamType, SpdyStream stream)
    {
        switch (streamType)
        {
            case StreamTypes.Data when Data is null:
                Data = stream;
                break;
            case StreamTypes.Error when Error is null:
                Error = stream;
                break;
            default:
                return false;
        }

        if (IsComplete)
        {
            _complete.TrySetResult();
        }

        return true;
    }
}
