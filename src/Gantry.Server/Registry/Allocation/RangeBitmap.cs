using System.Collections;

namespace Gantry.Server.Registry.Allocation;

/// <summary>
/// Which offsets of a range are taken, as Kubernetes' bitmap allocator keeps them. Dynamic picks come
/// from the upper part of the range first (the <c>ServiceIPStaticSubrange</c> rule): the lower
/// <see cref="StaticSize"/> offsets are left for users who ask for a specific value, so that their
/// requests rarely collide with automatic ones. Within a part the pick starts at a random offset and
/// scans forward, so that a value just released is not handed out again at once. Thread-safe.
/// </summary>
public sealed class RangeBitmap
{
    private readonly BitArray _taken;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private int _count;

    public RangeBitmap(int size, int staticSize, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegative(staticSize);
        ArgumentNullException.ThrowIfNull(random);
        _taken = new BitArray(size);
        Size = size;
        StaticSize = Math.Min(staticSize, size);
        _random = random;
    }

    public int Size { get; }

    /// <summary>The number of low offsets dynamic picks use only once the upper part is full.</summary>
    public int StaticSize { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// The static-subrange size Kubernetes computes (<c>calculateRangeOffset</c>): <paramref name="size"/> /
    /// <paramref name="step"/>, at least <paramref name="min"/> and at most <paramref name="max"/>; none for
    /// ranges smaller than <paramref name="min"/>.
    /// </summary>
    public static int StaticSubrange(long size, int min, int max, int step) =>
        size < min ? 0 : (int)Math.Clamp(size / step, min, max);

    /// <summary>Takes <paramref name="offset"/>; false when it is already taken.</summary>
    public bool TryTake(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, Size);
        lock (_gate)
        {
            if (_taken[offset])
            {
                return false;
            }

            _taken[offset] = true;
            _count++;
            return true;
        }
    }

    /// <summary>Takes a free offset, upper part first; null when the range is full.</summary>
    public int? TakeNext()
    {
        lock (_gate)
        {
            var offset = FreeIn(StaticSize, Size) ?? FreeIn(0, StaticSize);
            if (offset is { } found)
            {
                _taken[found] = true;
                _count++;
            }

            return offset;
        }
    }

    public bool Has(int offset)
    {
        lock (_gate)
        {
            return offset >= 0 && offset < Size && _taken[offset];
        }
    }

    /// <summary>Frees <paramref name="offset"/>; freeing a free offset does nothing.</summary>
    public void Release(int offset)
    {
        if (offset < 0 || offset >= Size)
        {
            return;
        }

        lock (_gate)
        {
            if (_taken[offset])
            {
                _taken[offset] = false;
                _count--;
            }
        }
    }

    private int? FreeIn(int from, int to)
    {
        var length = to - from;
        if (length <= 0)
        {
            return null;
        }

        var start = _random.Next(length);
        for (var i = 0; i < length; i++)
        {
            var offset = from + ((start + i) % length);
            if (!_taken[offset])
            {
                return offset;
            }
        }

        return null;
    }
}
