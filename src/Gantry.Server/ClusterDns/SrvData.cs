namespace Gantry.Server.ClusterDns;

/// <summary>An SRV record's RDATA (RFC 2782); the target is written uncompressed, as the RFC requires.</summary>
public sealed record SrvData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData;
