namespace Gantry.Agent.Runtimes;

/// <summary>
/// One record of a container log in the CRI format that the shim writes and kubelet reads:
/// <c>TIME STREAM TAG CONTENT</c>, where TIME is RFC 3339 in UTC with nine fractional digits, STREAM is
/// <c>stdout</c> or <c>stderr</c>, and TAG is <c>F</c> for a full line or <c>P</c> for a part of a line longer than the
/// shim's buffer (the next record goes on with it). Parsed as kubelet's parseCRILog does: a tag may carry more
/// fields after a colon, for forward compatibility.
/// </summary>
public readonly ref struct CriLogRecord
{
    private CriLogRecord(ReadOnlySpan<byte> time, ReadOnlySpan<byte> stream, bool partial, ReadOnlySpan<byte> content)
    {
        Time = time;
        Stream = stream;
        Partial = partial;
        Content = content;
    }

    public ReadOnlySpan<byte> Time { get; }

    public ReadOnlySpan<byte> Stream { get; }

    /// <summary>The content does not end a line: the line goes on in the stream's next record.</summary>
    public bool Partial { get; }

    /// <summary>The content, without the newline that ends a full line.</summary>
    public ReadOnlySpan<byte> Content { get; }

    /// <summary>Parses one line of a log, without its newline; false when it is not a CRI record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out CriLogRecord record)
    {
        record = default;
        var timeEnd = line.IndexOf((byte)' ');
        var streamEnd = timeEnd < 0 ? -1 : line[(timeEnd + 1)..].IndexOf((byte)' ');
        var tagEnd = streamEnd < 0 ? -1 : line[(timeEnd + streamEnd + 2)..].IndexOf((byte)' ');
        if (timeEnd <= 0 || tagEnd <= 0)
        {
            return false;
        }

        var stream = line.Slice(timeEnd + 1, streamEnd);
        var tag = line.Slice(timeEnd + streamEnd + 2, tagEnd);
        if (!stream.SequenceEqual("stdout"u8) && !stream.SequenceEqual("stderr"u8))
        {
            return false;
        }

        var colon = tag.IndexOf((byte)':');
        record = new CriLogRecord(line[..timeEnd], stream, (colon < 0 ? tag : tag[..colon]).SequenceEqual("P"u8), line[(timeEnd + streamEnd + tagEnd + 3)..]);
        return true;
    }
}
