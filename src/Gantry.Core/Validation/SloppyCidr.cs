using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gantry.Core.Validation;

/// <summary>
/// A CIDR as k8s.io/utils' <c>netutils.ParseCIDRSloppy</c> reads it (Go 1.16's <c>net.ParseCIDR</c>): an address as
/// <see cref="FormatValidation.IsSloppyIp"/> takes it (IPv4 octets with leading zeros too), a slash and a decimal prefix
/// length no longer than the address (leading zeros allowed), host bits allowed and cleared. kube 1.32 checks the CIDRs
/// of its older fields (a NetworkPolicy's <c>ipBlock</c>) this loosely; the strict checks came behind a feature gate
/// that is off in 1.33.
/// </summary>
public sealed record SloppyCidr
{
    /// <summary>apimachinery's message for a value that does not parse.</summary>
    public const string InvalidMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private const int Ipv4MappedPrefix = 96;

    private SloppyCidr(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>The address with the bits past the prefix cleared.</summary>
    public IPAddress Network { get; }

    /// <summary>The prefix length as written, counted in the bits of the address family written (Go's <c>Mask.Size()</c>).</summary>
    public int PrefixLength { get; }

    public static bool TryParse(string value, [NotNullWhen(true)] out SloppyCidr? cidr)
    {
        ArgumentNullException.ThrowIfNull(value);
        cidr = null;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !TryParseAddress(value[..slash], out var address))
        {
            return false;
        }

        var bits = address.GetAddressBytes().Length * 8;
        var prefix = value[(slash + 1)..];
        if (prefix.Length == 0 || !prefix.All(char.IsAsciiDigit))
        {
            return false;
        }

        var digits = prefix.TrimStart('0');
        if (digits.Length > 3 || (digits.Length > 0 && int.Parse(digits, CultureInfo.InvariantCulture) > bits))
        {
            return false;
        }

        var length = digits.Length == 0 ? 0 : int.Parse(digits, CultureInfo.InvariantCulture);
        cidr = new SloppyCidr(Masked(address, length), length);
        return true;
    }

    /// <summary>The network as an IPv4 one where it is IPv4 or IPv4-mapped IPv6; null for any other IPv6 network.</summary>
    public IPNetwork? Ipv4Network =>
        AsIpv4Where(Network, PrefixLength) is var (address, length) && address.AddressFamily == AddressFamily.InterNetwork
            ? new IPNetwork(address, length)
            : null;

    /// <summary>
    /// Go's <c>IPNet.Contains</c> of the other network's first address: both read as IPv4 where they are IPv4 or
    /// IPv4-mapped IPv6, never contained across families.
    /// </summary>
    public bool Contains(SloppyCidr other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var (network, length) = AsIpv4Where(Network, PrefixLength);
        var (address, _) = AsIpv4Where(other.Network, other.PrefixLength);
        return network.AddressFamily == address.AddressFamily && Masked(address, length).Equals(network);
    }

    private static (IPAddress Address, int PrefixLength) AsIpv4Where(IPAddress address, int prefixLength) =>
        address.IsIPv4MappedToIPv6 ? (address.MapToIPv4(), Math.Max(0, prefixLength - Ipv4MappedPrefix)) : (address, prefixLength);

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!FormatValidation.IsSloppyIp(text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // Octets are decimal whatever their leading zeros, where .NET would read 010 as octal.
        address = new IPAddress(text.Split('.').Select(o => byte.Parse(o, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray());
        return true;
    }

    private static IPAddress Masked(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - kept));
        }

        return new IPAddress(bytes);
    }
}
