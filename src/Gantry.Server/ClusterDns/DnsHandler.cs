using System.Net;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Answers one query. Names in the cluster zone, and the reverse names of Services' addresses, come from
/// <see cref="ClusterZone"/>, and the Marathon apps' names from <see cref="MarathonZone"/>, to anyone (authoritative data, as BIND answers its zones to all). Everything else
/// goes through the <see cref="DnsForwarder"/> for the clients <see cref="RecursionClients"/> allows (loopback,
/// the host's local networks, the cluster CIDR, the nodes) and is REFUSED to the rest, so the server is no open
/// resolver; a refusal is not logged, as outsiders could flood the log. UDP replies are kept within 512 bytes, or
/// the size the client's EDNS0 OPT record offers (at most 4096), and set TC when the answer does not fit.
/// </summary>
public sealed class DnsHandler(ClusterZone zone, DnsForwarder forwarder, RecursionClients recursion, MarathonZone? apps = null)
{
    /// <summary>The UDP payload size the server advertises in its OPT record (the DNS flag day 2020 value).</summary>
    public const ushort AdvertisedUdpSize = 1232;

    private const int ClassicUdpSize = 512;
    private const int MaxUdpSize = 4096;

    /// <summary>The reply's bytes; null when the query deserves none (a response, or not even an ID).</summary>
    /// <param name="query">The query as it came, which is what gets forwarded.</param>
    /// <param name="client">Where it came from: decides whether a name outside the cluster zone is forwarded.</param>
    /// <param name="tcp">Whether it came over TCP (no size limit, and forwarded over TCP).</param>
    /// <param name="cancellationToken">Stops a forward in flight.</param>
    public async Task<byte[]?> AnswerAsync(ReadOnlyMemory<byte> query, IPAddress client, bool tcp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        DnsMessage request;
        try
        {
            request = DnsReader.Read(query);
        }
        catch (DnsFormatException)
        {
            return DnsReader.IdOf(query.Span) is { } id ? DnsWriter.Write(new DnsMessage { Id = id, IsResponse = true, ResponseCode = DnsResponseCode.FormatError }) : null;
        }

        if (request.IsResponse)
        {
            return null;
        }

        if (request.Opcode != 0)
        {
            return DnsWriter.Write(Reply(request, DnsResponseCode.NotImplemented));
        }

        if (request.Questions.Count != 1)
        {
            return DnsWriter.Write(Reply(request, DnsResponseCode.FormatError));
        }

        var question = request.Questions[0];
        var answer = zone.Contains(question.Name) ? zone.Answer(question)
            : apps is not null && MarathonZone.Contains(question.Name) ? apps.Answer(question)
            : question.Type == DnsType.Ptr ? zone.Reverse(question)
            : null;
        if (answer is null)
        {
            if (!recursion.Allows(client))
            {
                return DnsWriter.Write(Reply(request, DnsResponseCode.Refused));
            }

            return await forwarder.ForwardAsync(query, tcp, cancellationToken).ConfigureAwait(false)
                ?? DnsWriter.Write(Reply(request, DnsResponseCode.ServerFailure));
        }

        var response = Reply(request, answer.ResponseCode) with
        {
            Authoritative = true,
            Answers = answer.Answers,
            Authorities = answer.Authorities,
            Additionals = request.Opt is null ? answer.Additionals : [.. answer.Additionals, Opt()],
        };
        return DnsWriter.Write(response, tcp ? ushort.MaxValue : UdpLimit(request));
    }

    private static DnsMessage Reply(DnsMessage request, DnsResponseCode code) => new()
    {
        Id = request.Id,
        IsResponse = true,
        Opcode = request.Opcode,
        RecursionDesired = request.RecursionDesired,
        RecursionAvailable = true,
        ResponseCode = code,
        Questions = request.Questions,
        Additionals = request.Opt is null ? [] : [Opt()],
    };

    private static int UdpLimit(DnsMessage request) =>
        request.Opt is { } opt ? Math.Clamp((int)opt.Class, ClassicUdpSize, MaxUdpSize) : ClassicUdpSize;

    private static DnsRecord Opt() => new("", DnsType.Opt, AdvertisedUdpSize, 0, new RawData(ReadOnlyMemory<byte>.Empty));
}
