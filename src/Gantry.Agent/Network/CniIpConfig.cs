using System.Net;

namespace Gantry.Agent.Network;

/// <summary>
/// An address a CNI plugin assigned, e.g. <c>10.88.0.2/24</c> on interface 2 with gateway <c>10.88.0.1</c>.
/// The address keeps its host bits, which <see cref="IPNetwork"/> refuses, hence the separate prefix length.
/// </summary>
internal sealed record CniIpConfig(int? Interface, IPAddress Address, int PrefixLength, IPAddress? Gateway)
{
    /// <summary>The subnet the address lies in.</summary>
    public IPNetwork Network
    {
        get
        {
            var bytes = Address.GetAddressBytes();
            for (var bit = PrefixLength; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            return new IPNetwork(new IPAddress(bytes), PrefixLength);
        }
    }
}
