namespace Gantry.Server.ClusterDns;

/// <summary>One entry of a message's question section; <see cref="Name"/> is written without the final dot, as asked (case kept).</summary>
public sealed record DnsQuestion(string Name, ushort Type, ushort Class = DnsType.ClassIn);
