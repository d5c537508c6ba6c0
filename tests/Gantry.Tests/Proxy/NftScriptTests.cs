using Gantry.Agent.Proxy;
using Xunit;
using static Gantry.Tests.Proxy.ProxyObjects;

namespace Gantry.Tests.Proxy;

public sealed class NftScriptTests
{
    private static readonly ProxyOptions Options = new() { NodeName = "node-a" };

    [Fact]
    public void The_first_sync_deletes_the_table_and_writes_it_anew_in_one_transaction()
    {
        var rules = ProxyRules.Build([Service("web")], [Slice("web", endpoints: [Endpoint("10.88.0.5")])], Options);

        var lines = NftScript.Render(rules, previous: null).TrimEnd('\n').Split('\n');

        Assert.Equal(["add table ip gantry-proxy", "delete table ip gantry-proxy"], lines[..2]);
        Assert.Equal(rules.Commands, lines[2..]);
    }

    [Fact]
    public void A_later_sync_empties_the_table_in_place_and_deletes_the_chains_of_endpoints_that_are_gone()
    {
        var before = ProxyRules.Build([Service("web")], [Slice("web", endpoints: [Endpoint("10.88.0.5"), Endpoint("10.88.0.6")])], Options);
        var after = ProxyRules.Build([Service("web")], [Slice("web", endpoints: [Endpoint("10.88.0.5")])], Options);
        var gone = Assert.Single(before.ServiceChains.Except(after.ServiceChains));

        var lines = NftScript.Render(after, before).TrimEnd('\n').Split('\n');

        Assert.Equal("add table ip gantry-proxy", lines[0]);
        Assert.Equal("flush table ip gantry-proxy", lines[1]);
        Assert.Contains("flush map ip gantry-proxy service-ips", lines);
        Assert.Contains("flush map ip gantry-proxy no-endpoint-services", lines);
        Assert.Equal([$"delete chain ip gantry-proxy {gone}"], lines.Where(l => l.StartsWith("delete", StringComparison.Ordinal)));
        Assert.Equal(after.Commands, lines[^after.Commands.Count..]);
    }

    [Fact]
    public void Affinity_sets_survive_a_sync_unless_their_endpoint_is_gone_or_their_timeout_changed()
    {
        var service = Service("web");
        service.Spec.SessionAffinity = "ClientIP";
        var before = ProxyRules.Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5"), Endpoint("10.88.0.6")])], Options);
        var same = ProxyRules.Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5"), Endpoint("10.88.0.6")])], Options);
        service.Spec.SessionAffinityConfig = new k8s.Models.V1SessionAffinityConfig { ClientIP = new k8s.Models.V1ClientIPConfig { TimeoutSeconds = 30 } };
        var shorter = ProxyRules.Build([service], [Slice("web", endpoints: [Endpoint("10.88.0.5")])], Options);

        var unchanged = NftScript.Render(same, before).Split('\n');
        var changed = NftScript.Render(shorter, before).Split('\n');

        Assert.DoesNotContain(unchanged, l => l.StartsWith("delete set", StringComparison.Ordinal));
        Assert.Equal(
            before.AffinitySets.Keys.Order(StringComparer.Ordinal).Select(s => $"delete set ip gantry-proxy {s}"),
            changed.Where(l => l.StartsWith("delete set", StringComparison.Ordinal)));
    }
}
