namespace Gantry.Server.ClusterDns;

/// <summary>RDATA of a type the server does not interpret, kept byte for byte.</summary>
public sealed record RawData(ReadOnlyMemory<byte> Bytes) : DnsRecordData;
