namespace Gantry.Server.ClusterDns;

/// <summary>The resource record types the cluster zone answers or the wire format has to recognise (RFC 1035, 2782, 3596, 6891).</summary>
public static class DnsType
{
    public const ushort A = 1;
    public const ushort Ns = 2;
    public const ushort Cname = 5;
    public const ushort Soa = 6;
    public const ushort Ptr = 12;
    public const ushort Txt = 16;
    public const ushort Aaaa = 28;
    public const ushort Srv = 33;
    public const ushort Opt = 41;
    public const ushort Any = 255;

    /// <summary>The only class the cluster zone serves.</summary>
    public const ushort ClassIn = 1;
}
