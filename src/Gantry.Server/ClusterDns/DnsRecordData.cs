namespace Gantry.Server.ClusterDns;

/// <summary>The RDATA of a record: typed for the records the cluster zone writes, raw bytes for the rest.</summary>
public abstract record DnsRecordData;
