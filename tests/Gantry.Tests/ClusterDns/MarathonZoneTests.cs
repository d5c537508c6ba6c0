using System.Net;
using Gantry.Server.ClusterDns;
using Xunit;

namespace Gantry.Tests.ClusterDns;

public sealed class MarathonZoneTests
{
    private static MarathonZone Zone(params (string App, string[] Addresses)[] apps) => new(new FakeMarathonSource(apps));

    private static List<string> Addresses(ZoneAnswer answer) =>
        [.. answer.Answers.Select(r => ((AddressData)r.Data).Address.ToString())];

    [Fact]
    public void An_apps_name_is_its_id_segments_last_first_joined_with_dashes_as_mesos_dns_names_it() =>
        Assert.Equal("web-shop", MarathonZone.AppLabel("/shop/web"));

    [Fact]
    public void An_app_resolves_to_its_ready_tasks_addresses()
    {
        var answer = Zone(("web-shop", ["10.244.0.9", "10.244.0.3"])).Answer(new DnsQuestion("Web-Shop.marathon.gantry.", DnsType.A));

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Equal(["10.244.0.3", "10.244.0.9"], Addresses(answer));
        Assert.All(answer.Answers, r => Assert.Equal(ClusterZone.Ttl, r.Ttl));
    }

    [Fact]
    public void An_app_without_ready_tasks_has_its_name_but_no_records()
    {
        var answer = Zone(("web-shop", [])).Answer(new DnsQuestion("web-shop.marathon.gantry", DnsType.A));

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Empty(answer.Answers);
        Assert.Equal(DnsType.Soa, Assert.Single(answer.Authorities).Type);
    }

    [Fact]
    public void An_unknown_app_is_nxdomain() =>
        Assert.Equal(DnsResponseCode.NameError, Zone(("web-shop", ["10.244.0.3"])).Answer(new DnsQuestion("db.marathon.gantry", DnsType.A)).ResponseCode);

    [Fact]
    public void An_ipv4_task_has_no_aaaa_record()
    {
        var answer = Zone(("web", ["10.244.0.3"])).Answer(new DnsQuestion("web.marathon.gantry", DnsType.Aaaa));

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Empty(answer.Answers);
    }

    [Fact]
    public void Only_names_under_marathon_gantry_are_the_zones()
    {
        Assert.True(MarathonZone.Contains("web.marathon.gantry."));
        Assert.True(MarathonZone.Contains("marathon.gantry"));
        Assert.False(MarathonZone.Contains("web.marathon.gantry.example"));
        Assert.False(MarathonZone.Contains("web.default.svc.cluster.local"));
    }

    /// <summary>A fake of the informers' view: the apps' ready task addresses by name.</summary>
    private sealed class FakeMarathonSource((string App, string[] Addresses)[] apps) : IMarathonDnsSource
    {
        public IReadOnlyList<IPAddress>? TaskAddresses(string appLabel) =>
            apps.Where(a => a.App == appLabel).Select(a => a.Addresses.Select(IPAddress.Parse).ToList()).FirstOrDefault();
    }
}
