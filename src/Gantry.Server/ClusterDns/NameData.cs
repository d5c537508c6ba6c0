namespace Gantry.Server.ClusterDns;

/// <summary>The RDATA of CNAME, NS and PTR records: one domain name.</summary>
public sealed record NameData(string Target) : DnsRecordData;
