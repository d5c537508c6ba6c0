namespace Gantry.Server.ClusterDns;

/// <summary>One resource record; <see cref="Name"/> without the final dot. For OPT (EDNS0) the class is the sender's UDP payload size.</summary>
public sealed record DnsRecord(string Name, ushort Type, ushort Class, uint Ttl, DnsRecordData Data);
