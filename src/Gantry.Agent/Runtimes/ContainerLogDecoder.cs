using System.Buffers;
using System.Globalization;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Turns a container log's CRI records, read in pieces of any size, into what <c>kubectl logs</c> shows, as kubelet's
/// ReadLogs does: the records' contents; with <see cref="ContainerLogView.Timestamps"/> each line starts with its
/// record's time and a space; records older than <see cref="ContainerLogView.Since"/> are left out; the output stops
/// at <see cref="ContainerLogView.LimitBytes"/>. A line that is no CRI record is skipped, as kubelet skips one it cannot parse.
/// </summary>
public sealed class ContainerLogDecoder(ContainerLogView view)
{
    private readonly byte[]? _since = view.Since is { } since ? TimeText(since) : null;
    private readonly ArrayBufferWriter<byte> _output = new();
    private byte[] _input = new byte[64 * 1024];
    private int _buffered;
    private long _remaining = view.LimitBytes ?? long.MaxValue;
    private bool _atLineStart = true;

    /// <summary>Decoded output not yet taken.</summary>
    public ReadOnlyMemory<byte> Output => _output.WrittenMemory;

    /// <summary>The output has reached its limit: nothing more will be decoded.</summary>
    public bool LimitReached => _remaining <= 0;

    /// <summary>Where to read the log's next bytes into; then call <see cref="Decode"/> with how many were read.</summary>
    public Memory<byte> InputSpace()
    {
        if (_buffered == _input.Length)
        {
            // A line longer than the buffer: no shim record is, but a log in another format can have one.
            Array.Resize(ref _input, _input.Length * 2);
        }

        return _input.AsMemory(_buffered);
    }

    /// <summary>Decodes every line completed by the <paramref name="count"/> bytes just read into <see cref="InputSpace"/>.</summary>
    public void Decode(int count)
    {
        _buffered += count;
        var pending = _input.AsSpan(0, _buffered);
        int newline;
        while ((newline = pending.IndexOf((byte)'\n')) >= 0)
        {
            Add(pending[..newline]);
            pending = pending[(newline + 1)..];
        }

        pending.CopyTo(_input);
        _buffered = pending.Length;
    }

    /// <summary>Decodes the unfinished line at the end of what was read, as the log's last.</summary>
    public void Finish()
    {
        Add(_input.AsSpan(0, _buffered));
        _buffered = 0;
    }

    /// <summary>Forgets the output once it has been written out.</summary>
    public void TakeOutput() => _output.ResetWrittenCount();

    /// <summary>A time as the shim writes it, so that comparing the texts compares the times.</summary>
    public static byte[] TimeText(DateTimeOffset time) =>
        System.Text.Encoding.ASCII.GetBytes(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture));

    private void Add(ReadOnlySpan<byte> line)
    {
        if (LimitReached || line.IsEmpty || !CriLogRecord.TryParse(line, out var record))
        {
            return;
        }

        var startsLine = _atLineStart;
        _atLineStart = !record.Partial;
        if (_since is not null && record.Time.SequenceCompareTo(_since) < 0)
        {
            return;
        }

        if (view.Timestamps && startsLine)
        {
            Write(record.Time);
            Write(" "u8);
        }

        Write(record.Content);
        if (!record.Partial)
        {
            Write("\n"u8);
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        var taken = (int)Math.Min(bytes.Length, _remaining);
        _output.Write(bytes[..taken]);
        _remaining -= taken;
    }
}
