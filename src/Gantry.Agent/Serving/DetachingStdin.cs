namespace Gantry.Agent.Serving;

/// <summary>
/// An attach's writes to a container's stdin. When the client's stdin ends, the writer is closed
/// and, unless that ended the workload's input (stdinOnce), the attach detaches: the kubelet
/// (through containerd) then stops sending output, leaving the container running with its stdin
/// still open for the next attach.
/// </summary>
internal sealed class DetachingStdin(Stream writer, CancellationTokenSource? detach) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        writer.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => writer.Write(buffer, offset, count);

    public override void Flush() => writer.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await writer.DisposeAsync();
        }
        finally
        {
            await (detach?.CancelAsync() ?? Task.CompletedTask);
            await base.DisposeAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                writer.Dispose();
            }
            finally
            {
                detach?.Cancel();
            }
        }

        base.Dispose(disposing);
    }
}
