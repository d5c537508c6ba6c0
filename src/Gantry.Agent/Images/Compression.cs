using System.IO.Compression;

namespace Gantry.Agent.Images;

/// <summary>
/// Opens a possibly compressed tar by its magic bytes, not its media type or file name, which
/// archives get wrong often enough (docker save | gzip, "tar+gzip" layers that are plain tars).
/// </summary>
internal static class Compression
{
    public static async Task<Stream> OpenAsync(Stream seekable, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        var read = await seekable.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        seekable.Seek(-read, SeekOrigin.Current);
        return Wrap(seekable, magic.AsSpan(0, read), leaveOpen: false);
    }

    /// <summary>Wraps <paramref name="stream"/> in the decompressor <paramref name="magic"/> calls for.</summary>
    public static Stream Wrap(Stream stream, ReadOnlySpan<byte> magic, bool leaveOpen)
    {
        if (magic.Length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new GZipStream(stream, CompressionMode.Decompress, leaveOpen);
        }

        if (magic.Length >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            throw new NotSupportedException("zstd-compressed layers are not supported; re-export the image with gzip or no compression");
        }

        return stream;
    }
}
