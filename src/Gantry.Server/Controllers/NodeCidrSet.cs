using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Gantry.Server.Controllers;

/// <summary>
/// The node-sized subnets of the cluster CIDR and which of them are taken, as kube-controller-manager's
/// <c>cidrset</c>: a node gets the lowest free one, so a single node always has the first. Pure state; the
/// caller serialises access.
/// </summary>
public sealed class NodeCidrSet
{
    private readonly uint _base;
    private readonly bool[] _used;

    /// <exception cref="ArgumentException">The cluster CIDR is not IPv4 or is smaller than one node's subnet.</exception>
    public NodeCidrSet(IPNetwork clusterCidr, int nodeMaskSize)
    {
        if (clusterCidr.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"the cluster CIDR must be IPv4, not {clusterCidr}", nameof(clusterCidr));
        }

        if (nodeMaskSize < clusterCidr.PrefixLength || nodeMaskSize > 30)
        {
            throw new ArgumentException(
                $"a node's pod CIDR (/{nodeMaskSize}) must fit in the cluster CIDR {clusterCidr} and hold at least two pods (/30 or larger)", nameof(nodeMaskSize));
        }

        ClusterCidr = clusterCidr;
        NodeMaskSize = nodeMaskSize;
        _base = ToUInt(clusterCidr.BaseAddress);
        _used = new bool[1 << Math.Min(nodeMaskSize - clusterCidr.PrefixLength, 24)];
    }

    public IPNetwork ClusterCidr { get; }

    public int NodeMaskSize { get; }

    /// <summary>How many node subnets the cluster CIDR holds.</summary>
    public int Capacity => _used.Length;

    /// <summary>Marks <paramref name="cidr"/> taken; false when it is not one of this set's subnets (another cluster CIDR's).</summary>
    public bool Occupy(IPNetwork cidr)
    {
        if (IndexOf(cidr) is not { } index)
        {
            return false;
        }

        _used[index] = true;
        return true;
    }

    /// <summary>Takes the lowest free subnet; null when every one is taken.</summary>
    public IPNetwork? AllocateNext()
    {
        var index = Array.IndexOf(_used, false);
        if (index < 0)
        {
            return null;
        }

        _used[index] = true;
        return SubnetAt(index);
    }

    /// <summary>Frees <paramref name="cidr"/>; one that is not this set's is ignored.</summary>
    public void Release(IPNetwork cidr)
    {
        if (IndexOf(cidr) is { } index)
        {
            _used[index] = false;
        }
    }

    private IPNetwork SubnetAt(int index)
    {
        var address = _base + ((uint)index << (32 - NodeMaskSize));
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPNetwork(new IPAddress(bytes), NodeMaskSize);
    }

    private int? IndexOf(IPNetwork cidr)
    {
        if (cidr.PrefixLength != NodeMaskSize || !ClusterCidr.Contains(cidr.BaseAddress))
        {
            return null;
        }

        var index = (int)((ToUInt(cidr.BaseAddress) - _base) >> (32 - NodeMaskSize));
        return index < _used.Length ? index : null;
    }

    private static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
