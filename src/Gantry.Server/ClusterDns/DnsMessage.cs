namespace Gantry.Server.ClusterDns;

/// <summary>
/// A DNS message (RFC 1035 §4.1): the header's fields and its four sections. Opcode 0 (QUERY) is the only one the
/// server serves; others get NOTIMP.
/// </summary>
public sealed record DnsMessage
{
    public ushort Id { get; init; }

    public bool IsResponse { get; init; }

    public int Opcode { get; init; }

    public bool Authoritative { get; init; }

    public bool Truncated { get; init; }

    public bool RecursionDesired { get; init; }

    public bool RecursionAvailable { get; init; }

    public DnsResponseCode ResponseCode { get; init; }

    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];

    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>The EDNS0 OPT pseudo-record of the additional section, if the sender put one there.</summary>
    public DnsRecord? Opt => Additionals.FirstOrDefault(r => r.Type == DnsType.Opt);
}
