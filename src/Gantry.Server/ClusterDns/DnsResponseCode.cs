namespace Gantry.Server.ClusterDns;

/// <summary>The RCODE values a DNS server sends (RFC 1035 §4.1.1).</summary>
public enum DnsResponseCode
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
}
