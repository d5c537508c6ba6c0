using System.Net;
using System.Net.Sockets;

namespace Gantry.Server.Registry.Allocation;

/// <summary>
/// Service cluster IPs out of one IPv4 CIDR, as Kubernetes' ipallocator hands them out: every address
/// but the network and broadcast addresses, the first one (<c>.1</c>) being the <c>kubernetes</c>
/// service's by convention. Thread-safe; never hands the same address out twice.
/// </summary>
public sealed class ClusterIpAllocator
{
    private readonly uint _base;
    private readonly RangeBitmap _bitmap;

    public ClusterIpAllocator(string cidr, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"the service cluster IP range \"{cidr}\" is not an IPv4 CIDR", nameof(cidr));
        }

        if (network.PrefixLength > 30)
        {
            throw new ArgumentException($"the service cluster IP range \"{cidr}\" is too small: it needs a prefix of /30 or shorter", nameof(cidr));
        }

        Range = network;
        var size = 1L << (32 - network.PrefixLength);
        _base = ToNumber(network.BaseAddress) + 1;
        _bitmap = new RangeBitmap((int)(size - 2), RangeBitmap.StaticSubrange(size, 16, 256, 16), random ?? Random.Shared);
    }

    public IPNetwork Range { get; }

    /// <summary>The first usable address: the <c>kubernetes</c> service's.</summary>
    public IPAddress First => FromNumber(_base);

    public int Allocated => _bitmap.Count;

    /// <summary>Takes <paramref name="ip"/>.</summary>
    /// <exception cref="AllocationException">It is out of the range or already taken.</exception>
    public void Allocate(IPAddress ip)
    {
        var offset = OffsetOf(ip) ?? throw new AllocationException(AllocationFailureKind.NotInRange,
            $"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {Range}");
        if (!_bitmap.TryTake(offset))
        {
            throw new AllocationException(AllocationFailureKind.Allocated, "provided IP is already allocated");
        }
    }

    /// <summary>Takes any free address.</summary>
    /// <exception cref="AllocationException">The range is full.</exception>
    public IPAddress AllocateNext() =>
        _bitmap.TakeNext() is { } offset
            ? FromNumber(_base + (uint)offset)
            : throw new AllocationException(AllocationFailureKind.Full, "range is full");

    public bool Has(IPAddress ip) => OffsetOf(ip) is { } offset && _bitmap.Has(offset);

    /// <summary>Frees <paramref name="ip"/>; an address out of the range or not taken is ignored.</summary>
    public void Release(IPAddress ip)
    {
        if (OffsetOf(ip) is { } offset)
        {
            _bitmap.Release(offset);
        }
    }

    private int? OffsetOf(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily != AddressFamily.InterNetwork || !Range.Contains(ip))
        {
            return null;
        }

        var offset = (long)ToNumber(ip) - _base;
        return offset >= 0 && offset < _bitmap.Size ? (int)offset : null;
    }

    private static uint ToNumber(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    private static IPAddress FromNumber(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
