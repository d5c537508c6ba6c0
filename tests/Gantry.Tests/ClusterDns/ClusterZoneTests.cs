using System.Net;
using Gantry.Server.ClusterDns;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.ClusterDns;

public sealed class ClusterZoneTests
{
    private static readonly V1ServicePort Http = new() { Name = "http", Port = 80, Protocol = "TCP", TargetPort = 8080 };

    private static ClusterZone Zone(FakeDnsSource source) => new(source);

    private static List<string> Addresses(ZoneAnswer answer) =>
        [.. answer.Answers.Where(r => r.Type == DnsType.A).Select(r => ((AddressData)r.Data).Address.ToString())];

    [Fact]
    public void A_cluster_ip_service_resolves_to_its_cluster_ip()
    {
        var zone = Zone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20", Http)));

        var answer = zone.Answer(new DnsQuestion("Web.Default.svc.cluster.local", DnsType.A));

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        var record = Assert.Single(answer.Answers);
        Assert.Equal("Web.Default.svc.cluster.local", record.Name);
        Assert.Equal(ClusterZone.Ttl, record.Ttl);
        Assert.Equal(["10.96.0.20"], Addresses(answer));
    }

    [Fact]
    public void A_headless_service_resolves_to_its_ready_endpoints()
    {
        var source = new FakeDnsSource()
            .Add(FakeDnsSource.ClusterIp("db", "None", Http))
            .Add(FakeDnsSource.Slice("db", [
                FakeDnsSource.Endpoint("10.88.0.7"),
                FakeDnsSource.Endpoint("10.88.0.5"),
                FakeDnsSource.Endpoint("10.88.0.9", ready: false)]));

        var answer = Zone(source).Answer(new DnsQuestion("db.default.svc.cluster.local", DnsType.A));

        Assert.Equal(["10.88.0.5", "10.88.0.7"], Addresses(answer));
    }

    [Fact]
    public void A_headless_service_without_ready_endpoints_is_NXDOMAIN()
    {
        var source = new FakeDnsSource().Add(FakeDnsSource.ClusterIp("db", "None", Http));

        Assert.Equal(DnsResponseCode.NameError, Zone(source).Answer(new DnsQuestion("db.default.svc.cluster.local", DnsType.A)).ResponseCode);
    }

    [Fact]
    public void Headless_endpoints_are_named_by_hostname_or_dashed_address()
    {
        var source = new FakeDnsSource()
            .Add(FakeDnsSource.ClusterIp("db", "None", Http))
            .Add(FakeDnsSource.Slice("db", [FakeDnsSource.Endpoint("10.88.0.5", hostname: "db-0"), FakeDnsSource.Endpoint("10.88.0.7")]));
        var zone = Zone(source);

        Assert.Equal(["10.88.0.5"], Addresses(zone.Answer(new DnsQuestion("db-0.db.default.svc.cluster.local", DnsType.A))));
        Assert.Equal(["10.88.0.7"], Addresses(zone.Answer(new DnsQuestion("10-88-0-7.db.default.svc.cluster.local", DnsType.A))));
        Assert.Equal(DnsResponseCode.NameError, zone.Answer(new DnsQuestion("db-1.db.default.svc.cluster.local", DnsType.A)).ResponseCode);
    }

    [Fact]
    public void A_named_port_of_a_cluster_ip_service_has_an_SRV_record_to_the_service()
    {
        var zone = Zone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20", Http)));

        var answer = zone.Answer(new DnsQuestion("_http._tcp.web.default.svc.cluster.local", DnsType.Srv));

        var srv = Assert.Single(answer.Answers);
        Assert.Equal("_http._tcp.web.default.svc.cluster.local", srv.Name);
        Assert.Equal(new SrvData(0, 100, 80, "web.default.svc.cluster.local"), srv.Data);
        Assert.Equal(["10.96.0.20"], answer.Additionals.Select(r => ((AddressData)r.Data).Address.ToString()));
        Assert.Equal(DnsResponseCode.NameError, zone.Answer(new DnsQuestion("_http._udp.web.default.svc.cluster.local", DnsType.Srv)).ResponseCode);
        Assert.Equal(DnsResponseCode.NameError, zone.Answer(new DnsQuestion("_https._tcp.web.default.svc.cluster.local", DnsType.Srv)).ResponseCode);
    }

    [Fact]
    public void A_named_port_of_a_headless_service_has_an_SRV_record_per_endpoint()
    {
        var source = new FakeDnsSource()
            .Add(FakeDnsSource.ClusterIp("db", "None", new V1ServicePort { Name = "pg", Port = 5432 }))
            .Add(FakeDnsSource.Slice("db", [FakeDnsSource.Endpoint("10.88.0.5", hostname: "db-0"), FakeDnsSource.Endpoint("10.88.0.7")],
                new Discoveryv1EndpointPort { Name = "pg", Port = 15432, Protocol = "TCP" }));

        var answer = Zone(source).Answer(new DnsQuestion("_pg._tcp.db.default.svc.cluster.local", DnsType.Srv));

        Assert.Equal(
            [new SrvData(0, 50, 15432, "db-0.db.default.svc.cluster.local"), new SrvData(0, 50, 15432, "10-88-0-7.db.default.svc.cluster.local")],
            answer.Answers.Select(r => r.Data));
        Assert.Equal(["db-0.db.default.svc.cluster.local", "10-88-0-7.db.default.svc.cluster.local"], answer.Additionals.Select(r => r.Name));
    }

    [Fact]
    public void An_external_name_service_is_a_CNAME()
    {
        var service = FakeDnsSource.ClusterIp("ext", "");
        service.Spec.Type = "ExternalName";
        service.Spec.ExternalName = "example.org";

        var answer = Zone(new FakeDnsSource().Add(service)).Answer(new DnsQuestion("ext.default.svc.cluster.local", DnsType.A));

        Assert.Equal(new NameData("example.org"), Assert.Single(answer.Answers).Data);
    }

    [Fact]
    public void A_pod_name_resolves_to_the_address_it_spells()
    {
        var zone = Zone(new FakeDnsSource());

        Assert.Equal(["10.88.0.12"], Addresses(zone.Answer(new DnsQuestion("10-88-0-12.default.pod.cluster.local", DnsType.A))));
        Assert.Equal(DnsResponseCode.NameError, zone.Answer(new DnsQuestion("10-88-0-999.default.pod.cluster.local", DnsType.A)).ResponseCode);
        Assert.Equal(DnsResponseCode.NameError, zone.Answer(new DnsQuestion("10-88-0-12.nowhere.pod.cluster.local", DnsType.A)).ResponseCode);
    }

    [Fact]
    public void Unknown_names_are_NXDOMAIN_and_known_names_without_the_type_are_NODATA_both_with_the_SOA()
    {
        var zone = Zone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20", Http)));

        var missing = zone.Answer(new DnsQuestion("nope.default.svc.cluster.local", DnsType.A));
        var noData = zone.Answer(new DnsQuestion("web.default.svc.cluster.local", DnsType.Aaaa));
        var ns = zone.Answer(new DnsQuestion("default.svc.cluster.local", DnsType.A));
        var other = zone.Answer(new DnsQuestion("web.default.elsewhere.cluster.local", DnsType.A));

        Assert.Equal(DnsResponseCode.NameError, missing.ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, noData.ResponseCode);
        Assert.Empty(noData.Answers);
        Assert.Equal(DnsResponseCode.NoError, ns.ResponseCode);
        Assert.Equal(DnsResponseCode.NameError, other.ResponseCode);
        Assert.All([missing, noData, ns, other], a => Assert.Equal(ClusterZone.Ttl, Assert.IsType<SoaData>(Assert.Single(a.Authorities).Data).Minimum));
    }

    [Fact]
    public void The_zone_contains_only_names_under_the_cluster_domain()
    {
        var zone = Zone(new FakeDnsSource());

        Assert.True(zone.Contains("web.default.svc.cluster.local."));
        Assert.True(zone.Contains("CLUSTER.LOCAL"));
        Assert.False(zone.Contains("example.org"));
        Assert.False(zone.Contains("notcluster.local"));
    }

    [Fact]
    public void The_reverse_name_of_a_cluster_ip_points_at_its_service()
    {
        var zone = Zone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20", Http)));

        var answer = zone.Reverse(new DnsQuestion("20.0.96.10.in-addr.arpa", DnsType.Ptr));

        var record = Assert.Single(answer!.Answers);
        Assert.Equal(DnsType.Ptr, record.Type);
        Assert.Equal("web.default.svc.cluster.local", ((NameData)record.Data).Target);
    }

    [Fact]
    public void The_reverse_name_of_a_ready_endpoint_names_it_under_its_service()
    {
        var source = new FakeDnsSource()
            .Add(FakeDnsSource.ClusterIp("db", "None", Http))
            .Add(FakeDnsSource.Slice("db", [FakeDnsSource.Endpoint("10.88.0.5", hostname: "db-0"), FakeDnsSource.Endpoint("10.88.0.7")]));

        Assert.Equal("db-0.db.default.svc.cluster.local", Target(Zone(source).Reverse(new DnsQuestion("5.0.88.10.in-addr.arpa.", DnsType.Ptr))));
        Assert.Equal("10-88-0-7.db.default.svc.cluster.local", Target(Zone(source).Reverse(new DnsQuestion("7.0.88.10.in-addr.arpa", DnsType.Ptr))));
    }

    [Fact]
    public void An_address_no_service_has_is_left_to_the_upstream_resolvers()
    {
        var source = new FakeDnsSource()
            .Add(FakeDnsSource.ClusterIp("db", "None", Http))
            .Add(FakeDnsSource.Slice("db", [FakeDnsSource.Endpoint("10.88.0.9", ready: false)]));

        Assert.Null(Zone(source).Reverse(new DnsQuestion("9.0.88.10.in-addr.arpa", DnsType.Ptr)));
        Assert.Null(Zone(source).Reverse(new DnsQuestion("1.1.168.192.in-addr.arpa", DnsType.Ptr)));
        Assert.Null(Zone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20", Http))).Reverse(new DnsQuestion("20.0.96.10.in-addr.arpa", DnsType.A)));
    }

    [Theory]
    [InlineData("4.3.2.1.in-addr.arpa", "1.2.3.4")]
    [InlineData("4.3.2.1.IN-ADDR.ARPA.", "1.2.3.4")]
    [InlineData("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", "fd00::1")]
    [InlineData("3.2.1.in-addr.arpa", null)]
    [InlineData("256.3.2.1.in-addr.arpa", null)]
    [InlineData("09.0.96.10.in-addr.arpa", null)]
    [InlineData("010.0.96.10.in-addr.arpa", null)]
    [InlineData("web.default.svc.cluster.local", null)]
    public void Reverse_names_spell_their_address_backwards(string name, string? address) =>
        Assert.Equal(address, ClusterZone.ReverseAddress(name)?.ToString());

    private static string? Target(ZoneAnswer? answer) => answer is null ? null : ((NameData)Assert.Single(answer.Answers).Data).Target;
}
