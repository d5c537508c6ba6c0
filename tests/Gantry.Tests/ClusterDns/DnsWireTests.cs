using System.Net;
using Gantry.Server.ClusterDns;
using Xunit;

namespace Gantry.Tests.ClusterDns;

public sealed class DnsWireTests
{
    [Fact]
    public void A_message_with_every_record_kind_survives_a_round_trip()
    {
        var message = new DnsMessage
        {
            Id = 0xBEEF,
            IsResponse = true,
            Authoritative = true,
            RecursionDesired = true,
            RecursionAvailable = true,
            ResponseCode = DnsResponseCode.NameError,
            Questions = [new DnsQuestion("web.default.svc.cluster.local", DnsType.Srv)],
            Answers =
            [
                new DnsRecord("web.default.svc.cluster.local", DnsType.A, DnsType.ClassIn, 5, new AddressData(IPAddress.Parse("10.96.0.20"))),
                new DnsRecord("_http._tcp.web.default.svc.cluster.local", DnsType.Srv, DnsType.ClassIn, 5, new SrvData(0, 100, 80, "web.default.svc.cluster.local")),
                new DnsRecord("ext.default.svc.cluster.local", DnsType.Cname, DnsType.ClassIn, 5, new NameData("example.org")),
            ],
            Authorities = [new DnsRecord("cluster.local", DnsType.Soa, DnsType.ClassIn, 5, new SoaData("ns.dns.cluster.local", "hostmaster.cluster.local", 7, 7200, 1800, 86400, 5))],
            Additionals = [new DnsRecord("", DnsType.Opt, 1232, 0, new RawData(ReadOnlyMemory<byte>.Empty))],
        };

        var read = DnsReader.Read(DnsWriter.Write(message));

        Assert.Equal(message.Id, read.Id);
        Assert.True(read.IsResponse && read.Authoritative && read.RecursionDesired && read.RecursionAvailable && !read.Truncated);
        Assert.Equal(DnsResponseCode.NameError, read.ResponseCode);
        Assert.Equal(message.Questions, read.Questions);
        Assert.Equal(message.Answers.Take(3).Select(r => (r.Name, r.Type, r.Ttl)), read.Answers.Select(r => (r.Name, r.Type, r.Ttl)));
        Assert.Equal(IPAddress.Parse("10.96.0.20"), Assert.IsType<AddressData>(read.Answers[0].Data).Address);
        Assert.Equal(new SrvData(0, 100, 80, "web.default.svc.cluster.local"), read.Answers[1].Data);
        Assert.Equal(new NameData("example.org"), read.Answers[2].Data);
        Assert.Equal(message.Authorities[0].Data, read.Authorities[0].Data);
        Assert.Equal(1232, read.Opt!.Class);
    }

    [Fact]
    public void Repeated_names_are_compressed_into_pointers()
    {
        var name = "web.default.svc.cluster.local";
        var one = DnsWriter.Write(new DnsMessage { Questions = [new DnsQuestion(name, DnsType.A)] });
        var two = DnsWriter.Write(new DnsMessage
        {
            Questions = [new DnsQuestion(name, DnsType.A)],
            Answers = [new DnsRecord(name, DnsType.A, DnsType.ClassIn, 5, new AddressData(IPAddress.Parse("10.0.0.1")))],
        });

        // The answer's owner is a two-byte pointer to the question's name: 2 + type, class, ttl, length (10) + 4 address bytes.
        Assert.Equal(one.Length + 16, two.Length);
    }

    [Fact]
    public void A_message_too_large_for_the_limit_keeps_only_its_question_and_sets_TC()
    {
        var answers = Enumerable.Range(1, 60)
            .Select(i => new DnsRecord("many.default.svc.cluster.local", DnsType.A, DnsType.ClassIn, 5, new AddressData(IPAddress.Parse($"10.88.0.{i}"))))
            .ToList();
        var message = new DnsMessage { IsResponse = true, Questions = [new DnsQuestion("many.default.svc.cluster.local", DnsType.A)], Answers = answers };

        var truncated = DnsReader.Read(DnsWriter.Write(message, 512));
        var whole = DnsReader.Read(DnsWriter.Write(message));

        Assert.True(truncated.Truncated);
        Assert.Empty(truncated.Answers);
        Assert.Single(truncated.Questions);
        Assert.False(whole.Truncated);
        Assert.Equal(60, whole.Answers.Count);
    }

    [Fact]
    public void A_pointer_loop_is_a_format_error()
    {
        byte[] message = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];

        Assert.Throws<DnsFormatException>(() => DnsReader.Read(message));
    }

    [Fact]
    public void A_message_cut_short_is_a_format_error()
    {
        var bytes = DnsWriter.Write(new DnsMessage { Questions = [new DnsQuestion("web.default.svc.cluster.local", DnsType.A)] });

        Assert.Throws<DnsFormatException>(() => DnsReader.Read(bytes.AsMemory(0, bytes.Length - 3)));
    }
}
