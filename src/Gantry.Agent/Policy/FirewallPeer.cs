using System.Net;

namespace Gantry.Agent.Policy;

/// <summary>A block of IPv4 addresses, less those in <paramref name="Except"/> (a NetworkPolicy's <c>ipBlock</c>, or one pod's address).</summary>
public sealed record FirewallPeer(IPNetwork Block, IReadOnlyList<IPNetwork> Except)
{
    public static FirewallPeer Address(IPAddress address) => new(new IPNetwork(address, 32), []);

    public bool Contains(IPAddress address) => Block.Contains(address) && !Except.Any(e => e.Contains(address));
}
