using System.Net;

namespace Gantry.Server.Registry.Allocation;

/// <summary>
/// The cluster IPs and node ports one Service write took, and those its old version held that the
/// write gives up: the latter are freed only once the write is committed, the former only if it fails.
/// </summary>
internal sealed class ServiceAllocationTransaction(ClusterIpAllocator ips, NodePortAllocator ports) : IAllocationTransaction
{
    private bool _done;

    public List<IPAddress> TakenIps { get; } = [];

    public List<int> TakenPorts { get; } = [];

    public List<IPAddress> GivenUpIps { get; } = [];

    public List<int> GivenUpPorts { get; } = [];

    public void Commit()
    {
        if (Finish())
        {
            GivenUpIps.ForEach(ips.Release);
            GivenUpPorts.ForEach(ports.Release);
        }
    }

    public void Revert()
    {
        if (Finish())
        {
            TakenIps.ForEach(ips.Release);
            TakenPorts.ForEach(ports.Release);
        }
    }

    private bool Finish()
    {
        if (_done)
        {
            return false;
        }

        _done = true;
        return true;
    }
}
