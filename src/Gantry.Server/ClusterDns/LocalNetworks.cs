using System.Net;
using System.Net.NetworkInformation;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The networks the host's interfaces are directly attached to, BIND's <c>localnets</c>: each unicast address with
/// its prefix length, host bits cleared.
/// </summary>
public static class LocalNetworks
{
    /// <summary>
    /// Every interface's networks, down ones included (a bridge with no ports yet reports itself down, yet its network
    /// is the host's own). An interface that vanishes while being read (a pod's veth) is skipped.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Read()
    {
        var found = new HashSet<IPNetwork>();
        foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
        {
            try
            {
                foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
                {
                    found.Add(NetworkOf(unicast.Address, unicast.PrefixLength));
                }
            }
            catch (NetworkInformationException)
            {
                // Gone between listing and reading: it has no networks left.
            }
        }

        return [.. found];
    }

    /// <summary>The network <paramref name="address"/>/<paramref name="prefixLength"/> lies in (IPNetwork wants the host bits zero).</summary>
    public static IPNetwork NetworkOf(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - kept));
        }

        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }
}
