using System.Globalization;

namespace Gantry.Agent.Simulated;

/// <summary>
/// One simulated node of a fleet: its name, its fake addresses (a host IP in 198.18.0.0/15, the
/// benchmarking range, and a /24 pod CIDR in 10.128.0.0/9), the pod IPs it has handed out, and
/// whether it is "up" (renewing its lease and reporting its pods) or crashed.
/// </summary>
public sealed class SimulatedNode
{
    private const int FirstPodAddress = 2;
    private const int LastPodAddress = 254;

    private readonly Dictionary<string, int> _addresses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _nextAddress = FirstPodAddress;
    private volatile bool _up = true;

    public SimulatedNode(string name, int index)
    {
        if (index is < 0 or >= SimulatedFleetOptions.MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a fleet holds at most {SimulatedFleetOptions.MaxNodes} nodes");
        }

        Name = name;
        Index = index;
        HostIp = string.Create(CultureInfo.InvariantCulture, $"198.{18 + (index >> 16)}.{(index >> 8) & 0xff}.{index & 0xff}");
        PodCidrPrefix = string.Create(CultureInfo.InvariantCulture, $"10.{128 + (index >> 8)}.{index & 0xff}.");
    }

    public string Name { get; }

    public int Index { get; }

    public string HostIp { get; }

    public string PodCidr => PodCidrPrefix + "0/24";

    /// <summary>False while the node is crashed: no lease renewals, no pod status, no deletions.</summary>
    public bool IsUp => _up;

    /// <summary>When its lease is next renewed (fleet clock).</summary>
    internal DateTimeOffset NextRenewal { get; set; }

    /// <summary>When its node status is next re-posted.</summary>
    internal DateTimeOffset NextStatusReport { get; set; }

    private string PodCidrPrefix { get; }

    internal void SetUp(bool up) => _up = up;

    /// <summary>The pod's IP on this node, handed out on first ask, as host-local IPAM would (lowest free address after the last).</summary>
    internal string PodIp(string podUid)
    {
        lock (_gate)
        {
            if (!_addresses.TryGetValue(podUid, out var host))
            {
                var used = _addresses.Values.ToHashSet();
                host = Enumerable.Range(0, LastPodAddress - FirstPodAddress + 1)
                    .Select(i => FirstPodAddress + ((_nextAddress - FirstPodAddress + i) % (LastPodAddress - FirstPodAddress + 1)))
                    .FirstOrDefault(a => !used.Contains(a));
                if (host == 0)
                {
                    throw new InvalidOperationException($"node {Name} has no pod address left in {PodCidr}");
                }

                _nextAddress = host + 1;
                _addresses[podUid] = host;
            }

            return PodCidrPrefix + host.ToString(CultureInfo.InvariantCulture);
        }
    }

    internal void ReleasePodIp(string podUid)
    {
        lock (_gate)
        {
            _addresses.Remove(podUid);
        }
    }
}
