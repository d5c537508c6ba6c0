using System.Buffers;
using System.Runtime.InteropServices;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// One zlib stream (a deflater or an inflater) kept in native memory, because zlib checks that a
/// stream never moves between calls. Input and output pass through pinned scratch buffers, so no
/// managed memory is ever pinned by the caller.
/// </summary>
internal sealed class ZStream : SafeHandle
{
    private const int ChunkSize = 4096;

    // On Linux `long` is pointer-sized, so every z_stream field occupies one pointer-sized slot
    // (the 32-bit uInt fields are padded), on 64-bit and 32-bit alike.
    private static readonly int Slot = IntPtr.Size;
    private static readonly int NextInOffset = 0;
    private static readonly int AvailInOffset = Slot;
    private static readonly int NextOutOffset = 3 * Slot;
    private static readonly int AvailOutOffset = 4 * Slot;
    private static readonly int MessageOffset = 6 * Slot;
    private static readonly int StructSize = 14 * Slot;

    private readonly byte[] _input = GC.AllocateArray<byte>(ChunkSize, pinned: true);
    private readonly byte[] _output = GC.AllocateArray<byte>(ChunkSize, pinned: true);
    private bool _deflater;
    private bool _initialized;

    public ZStream()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static ZStream CreateDeflater(byte[] pinnedDictionary)
    {
        var stream = Allocate();
        try
        {
            stream._deflater = true;
            stream.Check(ZlibNative.DeflateInit(stream.handle, ZlibNative.DefaultCompression, ZlibNative.Version(), StructSize));
            stream._initialized = true;
            stream.Check(ZlibNative.DeflateSetDictionary(stream.handle, AddressOf(pinnedDictionary), (uint)pinnedDictionary.Length));
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public static ZStream CreateInflater()
    {
        var stream = Allocate();
        try
        {
            stream.Check(ZlibNative.InflateInit(stream.handle, ZlibNative.Version(), StructSize));
            stream._initialized = true;
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Compresses <paramref name="input"/> and sync-flushes, so the peer can inflate it on its own.</summary>
    public void Deflate(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            var offset = 0;
            do
            {
                var take = Math.Min(ChunkSize, input.Length - offset);
                input.Slice(offset, take).CopyTo(_input);
                offset += take;
                SetInput(take);
                var flush = offset == input.Length ? ZlibNative.SyncFlush : ZlibNative.NoFlush;
                while (true)
                {
                    SetOutput();
                    var result = ZlibNative.Deflate(handle, flush);
                    if (result != ZlibNative.Ok && result != ZlibNative.BufferError)
                    {
                        throw Failure(result);
                    }

                    output.Write(_output.AsSpan(0, ChunkSize - AvailOut));
                    // Spare output room means zlib consumed all input and finished the flush.
                    if (AvailOut != 0)
                    {
                        break;
                    }
                }
            }
            while (offset < input.Length);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Inflates <paramref name="input"/>, a continuation of this stream, supplying
    /// <paramref name="pinnedDictionary"/> when the stream's header asks for one.
    /// </summary>
    public void Inflate(ReadOnlySpan<byte> input, IBufferWriter<byte> output, byte[] pinnedDictionary, int maxOutput)
    {
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            var produced = 0;
            var offset = 0;
            while (offset < input.Length)
            {
                var take = Math.Min(ChunkSize, input.Length - offset);
                input.Slice(offset, take).CopyTo(_input);
                offset += take;
                SetInput(take);
                while (true)
                {
                    SetOutput();
                    var result = ZlibNative.Inflate(handle, ZlibNative.SyncFlush);
                    if (result == ZlibNative.NeedDictionary)
                    {
                        Check(ZlibNative.InflateSetDictionary(handle, AddressOf(pinnedDictionary), (uint)pinnedDictionary.Length));
                        continue;
                    }

                    if (result == ZlibNative.StreamEnd)
                    {
                        throw new InvalidDataException("The peer ended its header compression stream, which SPDY never does.");
                    }

                    if (result != ZlibNative.Ok && result != ZlibNative.BufferError)
                    {
                        throw Failure(result);
                    }

                    var count = ChunkSize - AvailOut;
                    produced += count;
                    if (produced > maxOutput)
                    {
                        throw new InvalidDataException($"A header block inflates to more than {maxOutput} bytes.");
                    }

                    output.Write(_output.AsSpan(0, count));
                    if ((AvailIn == 0 && AvailOut != 0) || (result == ZlibNative.BufferError && count == 0))
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        if (_initialized)
        {
            _ = _deflater ? ZlibNative.DeflateEnd(handle) : ZlibNative.InflateEnd(handle);
        }

        Marshal.FreeHGlobal(handle);
        return true;
    }

    private static ZStream Allocate()
    {
        var stream = new ZStream();
        var memory = Marshal.AllocHGlobal(StructSize);
        Marshal.Copy(new byte[StructSize], 0, memory, StructSize);
        stream.SetHandle(memory);
        return stream;
    }

    private static IntPtr AddressOf(byte[] pinned) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);

    private int AvailIn => Marshal.ReadInt32(handle, AvailInOffset);

    private int AvailOut => Marshal.ReadInt32(handle, AvailOutOffset);

    private void SetInput(int length)
    {
        Marshal.WriteIntPtr(handle, NextInOffset, AddressOf(_input));
        Marshal.WriteInt32(handle, AvailInOffset, length);
    }

    private void SetOutput()
    {
        Marshal.WriteIntPtr(handle, NextOutOffset, AddressOf(_output));
        Marshal.WriteInt32(handle, AvailOutOffset, ChunkSize);
    }

    private void Check(int result)
    {
        if (result != ZlibNative.Ok)
        {
            throw Failure(result);
        }
    }

    private InvalidDataException Failure(int result)
    {
        var message = Marshal.PtrToStringAnsi(Marshal.ReadIntPtr(handle, MessageOffset));
        return new InvalidDataException($"zlib failed with code {result}{(message is null ? "" : $": {message}")}.");
    }
}
