namespace Gantry.Server.Registry.Allocation;

/// <summary>
/// Service node ports out of one range (30000-32767 by default), as Kubernetes' portallocator hands
/// them out. Thread-safe; never hands the same port out twice.
/// </summary>
public sealed class NodePortAllocator
{
    private readonly RangeBitmap _bitmap;

    public NodePortAllocator(int first = 30000, int last = 32767, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        First = first;
        Last = last;
        var size = last - first + 1;
        _bitmap = new RangeBitmap(size, RangeBitmap.StaticSubrange(size, 16, 128, 32), random ?? Random.Shared);
    }

    public int First { get; }

    public int Last { get; }

    public int Allocated => _bitmap.Count;

    /// <summary>Takes <paramref name="port"/>.</summary>
    /// <exception cref="AllocationException">It is out of the range or already taken.</exception>
    public void Allocate(int port)
    {
        if (port < First || port > Last)
        {
            throw new AllocationException(AllocationFailureKind.NotInRange,
                $"provided port is not in the valid range. The range of valid ports is {First}-{Last}");
        }

        if (!_bitmap.TryTake(port - First))
        {
            throw new AllocationException(AllocationFailureKind.Allocated, "provided port is already allocated");
        }
    }

    /// <summary>Takes any free port.</summary>
    /// <exception cref="AllocationException">The range is full.</exception>
    public int AllocateNext() =>
        _bitmap.TakeNext() is { } offset
            ? First + offset
            : throw new AllocationException(AllocationFailureKind.Full, "range is full");

    public bool Has(int port) => _bitmap.Has(port - First);

    /// <summary>Frees <paramref name="port"/>; a port out of the range or not taken is ignored.</summary>
    public void Release(int port) => _bitmap.Release(port - First);
}
