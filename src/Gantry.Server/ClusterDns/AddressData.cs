using System.Net;

namespace Gantry.Server.ClusterDns;

/// <summary>An A (IPv4) or AAAA (IPv6) record's address.</summary>
public sealed record AddressData(IPAddress Address) : DnsRecordData;
