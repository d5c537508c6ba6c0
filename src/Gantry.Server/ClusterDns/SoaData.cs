namespace Gantry.Server.ClusterDns;

/// <summary>An SOA record's RDATA; <see cref="Minimum"/> is the TTL resolvers give negative answers (RFC 2308).</summary>
public sealed record SoaData(string PrimaryServer, string Mailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsRecordData;
