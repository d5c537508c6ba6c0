namespace Gantry.Server.ClusterDns;

/// <summary>What the cluster zone says to one question: the response code and the three record sections.</summary>
public sealed record ZoneAnswer(DnsResponseCode ResponseCode, IReadOnlyList<DnsRecord> Answers, IReadOnlyList<DnsRecord> Authorities, IReadOnlyList<DnsRecord> Additionals);
