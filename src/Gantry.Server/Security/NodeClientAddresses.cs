using System.Collections.Concurrent;
using System.Net;

namespace Gantry.Server.Security;

/// <summary>
/// The addresses agents (join-token users) have lately reached the API server from, as TCP saw them. Unlike the
/// addresses a Node publishes in its status, which its token holder may set to anything, these cannot be claimed,
/// so they can decide who else the cluster DNS recurses for: a pod's query reaches the DNS masqueraded as its node.
/// </summary>
public sealed class NodeClientAddresses(TimeProvider time)
{
    /// <summary>How long an address counts after its last request: agents renew their lease every 10 s.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Beyond this many addresses, those not seen within <see cref="Lifetime"/> are forgotten.</summary>
    private const int PruneAbove = 4096;

    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _seen = new();

    public void Saw(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        _seen[Normalize(address)] = now;
        if (_seen.Count > PruneAbove)
        {
            foreach (var (stale, at) in _seen)
            {
                if (now - at > Lifetime)
                {
                    _seen.TryRemove(stale, out _);
                }
            }
        }
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _seen.TryGetValue(Normalize(address), out var at) && time.GetUtcNow() - at <= Lifetime;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
