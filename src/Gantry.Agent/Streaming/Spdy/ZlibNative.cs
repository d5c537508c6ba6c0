using System.Runtime.InteropServices;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// The few entry points of the machine's zlib that SPDY header compression needs. System.IO.Compression
/// cannot take a preset dictionary, and SPDY/3 header blocks are compressed against one.
/// </summary>
internal static class ZlibNative
{
    private const string Library = "libz.so.1";

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDictionary = 2;
    public const int BufferError = -5;

    public const int NoFlush = 0;
    public const int SyncFlush = 2;

    public const int DefaultCompression = -1;

    [DllImport(Library, EntryPoint = "zlibVersion")]
    public static extern IntPtr Version();

    [DllImport(Library, EntryPoint = "deflateInit_")]
    public static extern int DeflateInit(IntPtr stream, int level, IntPtr version, int streamSize);

    [DllImport(Library, EntryPoint = "deflateSetDictionary")]
    public static extern int DeflateSetDictionary(IntPtr stream, IntPtr dictionary, uint length);

    [DllImport(Library, EntryPoint = "deflate")]
    public static extern int Deflate(IntPtr stream, int flush);

    [DllImport(Library, EntryPoint = "deflateEnd")]
    public static extern int DeflateEnd(IntPtr stream);

    [DllImport(Library, EntryPoint = "inflateInit_")]
    public static extern int InflateInit(IntPtr stream, IntPtr version, int streamSize);

    [DllImport(Library, EntryPoint = "inflateSetDictionary")]
    public static extern int InflateSetDictionary(IntPtr stream, IntPtr dictionary, uint length);

    [DllImport(Library, EntryPoint = "inflate")]
    public static extern int Inflate(IntPtr stream, int flush);

    [DllImport(Library, EntryPoint = "inflateEnd")]
    public static extern int InflateEnd(IntPtr stream);
}
