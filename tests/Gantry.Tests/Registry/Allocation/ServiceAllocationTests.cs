using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Allocation;
using Xunit;
using static Gantry.Tests.Registry.Allocation.ServiceRegistryFixture;

namespace Gantry.Tests.Registry.Allocation;

public sealed class ServiceAllocationTests
{
    [Fact]
    public async Task A_new_service_gets_a_cluster_ip_from_the_range()
    {
        await using var registry = await StartAsync();

        var created = await registry.CreateAsync(Service("web"));

        var ip = IPAddress.Parse(ClusterIp(created));
        Assert.True(IPNetwork.Parse("10.96.0.0/12").Contains(ip));
        Assert.Equal(ClusterIp(created), created["spec"]!["clusterIPs"]![0]!.GetValue<string>());
        Assert.True(registry.Allocations.ClusterIps.Has(ip));
    }

    [Fact]
    public async Task A_requested_cluster_ip_that_is_taken_is_refused_and_nothing_is_created()
    {
        await using var registry = await StartAsync();
        await registry.CreateAsync(Service("first", "10.96.0.10"));

        var refused = await Assert.ThrowsAsync<ApiException>(() => registry.CreateAsync(Service("second", "10.96.0.10")));

        Assert.Equal(422, refused.Code);
        Assert.Equal("Service \"second\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated",
            refused.Message);
        Assert.Null(registry.Registry.Get(Services, "default", "second"));
    }

    [Fact]
    public async Task A_requested_cluster_ip_outside_the_range_is_refused()
    {
        await using var registry = await StartAsync();

        var refused = await Assert.ThrowsAsync<ApiException>(() => registry.CreateAsync(Service("web", "192.168.1.1")));

        Assert.EndsWith("failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_service_frees_its_cluster_ip_and_node_port()
    {
        await using var registry = await StartAsync();
        await registry.CreateAsync(Service("web", "10.96.0.20", "NodePort", 30100));

        await registry.DeleteAsync("web");

        Assert.False(registry.Allocations.ClusterIps.Has(IPAddress.Parse("10.96.0.20")));
        Assert.False(registry.Allocations.NodePorts.Has(30100));
        var again = await registry.CreateAsync(Service("other", "10.96.0.20", "NodePort", 30100));
        Assert.Equal("10.96.0.20", ClusterIp(again));
    }

    [Fact]
    public async Task A_headless_service_holds_no_address()
    {
        await using var registry = await StartAsync();

        var created = await registry.CreateAsync(Service("db", "None"));

        Assert.Equal("None", ClusterIp(created));
        Assert.Equal(0, registry.Allocations.ClusterIps.Allocated);
    }

    [Fact]
    public async Task A_node_port_service_gets_a_port_in_range_and_a_taken_one_is_refused()
    {
        await using var registry = await StartAsync();

        var created = await registry.CreateAsync(Service("web", type: "NodePort"));
        var port = NodePort(created);
        var refused = await Assert.ThrowsAsync<ApiException>(() => registry.CreateAsync(Service("other", type: "NodePort", nodePort: port)));

        Assert.InRange(port, 30000, 32767);
        Assert.Equal($"Service \"other\" is invalid: spec.ports[0].nodePort: Invalid value: {port}: provided port is already allocated", refused.Message);
        Assert.Null(registry.Registry.Get(Services, "default", "other"));
        Assert.Equal(1, registry.Allocations.ClusterIps.Allocated);
    }

    [Fact]
    public async Task Changing_the_type_allocates_and_frees_node_ports()
    {
        await using var registry = await StartAsync();
        await registry.CreateAsync(Service("web"));

        var nodePort = NodePort(await registry.MutateAsync("web", s => s["spec"]!["type"] = "NodePort"));
        Assert.True(registry.Allocations.NodePorts.Has(nodePort));

        await registry.MutateAsync("web", s =>
        {
            s["spec"]!["type"] = "ClusterIP";
            s["spec"]!.AsObject().Remove("externalTrafficPolicy");
            s["spec"]!["ports"]![0]!.AsObject().Remove("nodePort");
        });
        Assert.False(registry.Allocations.NodePorts.Has(nodePort));
    }

    [Fact]
    public async Task The_cluster_ip_may_not_change()
    {
        await using var registry = await StartAsync();
        await registry.CreateAsync(Service("web", "10.96.0.30"));

        var refused = await Assert.ThrowsAsync<ApiException>(() => registry.MutateAsync("web", s => s["spec"]!["clusterIP"] = "10.96.0.31"));

        Assert.Equal("Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.31\"}: may not change once set", refused.Message);
        Assert.False(registry.Allocations.ClusterIps.Has(IPAddress.Parse("10.96.0.31")));
    }

    [Fact]
    public async Task An_update_that_leaves_the_cluster_ip_out_keeps_it()
    {
        await using var registry = await StartAsync();
        var created = await registry.CreateAsync(Service("web"));

        var updated = await registry.MutateAsync("web", s =>
        {
            s["spec"]!.AsObject().Remove("clusterIP");
            s["spec"]!.AsObject().Remove("clusterIPs");
            s["metadata"]!["labels"] = new JsonObject { ["tier"] = "front" };
        });

        Assert.Equal(ClusterIp(created), ClusterIp(updated));
        Assert.Equal(1, registry.Allocations.ClusterIps.Allocated);
    }

    [Fact]
    public async Task A_dry_run_keeps_nothing_reserved()
    {
        await using var registry = await StartAsync();

        var checkedOnly = await registry.CreateAsync(Service("web", "10.96.0.40", "NodePort", 30200), dryRun: true);

        Assert.Equal("10.96.0.40", ClusterIp(checkedOnly));
        Assert.Equal(0, registry.Allocations.ClusterIps.Allocated);
        Assert.Equal(0, registry.Allocations.NodePorts.Allocated);
    }

    [Fact]
    public async Task A_create_that_loses_the_race_for_the_name_gives_its_address_back()
    {
        await using var registry = await StartAsync();
        await registry.CreateAsync(Service("web"));

        await Assert.ThrowsAsync<ApiException>(() => registry.CreateAsync(Service("web", "10.96.0.50")));

        Assert.False(registry.Allocations.ClusterIps.Has(IPAddress.Parse("10.96.0.50")));
    }

    [Fact]
    public async Task Concurrent_creates_get_distinct_addresses()
    {
        await using var registry = await StartAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => registry.CreateAsync(Service($"s{i}")))));

        Assert.Equal(40, created.Select(ClusterIp).Distinct().Count());
        Assert.Equal(40, registry.Allocations.ClusterIps.Allocated);
    }

    [Fact]
    public async Task The_allocators_are_rebuilt_from_the_stored_services()
    {
        await using var registry = await StartAsync();
        var web = await registry.CreateAsync(Service("web", type: "NodePort"));
        await registry.CreateAsync(Service("db", "None"));
        await registry.CreateAsync(Service("fixed", "10.96.0.60"));

        var rebuilt = NewAllocations();
        rebuilt.Rebuild(StoredServices.In(registry.Cache));

        Assert.True(rebuilt.ClusterIps.Has(IPAddress.Parse(ClusterIp(web))));
        Assert.True(rebuilt.ClusterIps.Has(IPAddress.Parse("10.96.0.60")));
        Assert.Equal(2, rebuilt.ClusterIps.Allocated);
        Assert.True(rebuilt.NodePorts.Has(NodePort(web)));
        Assert.Equal(1, rebuilt.NodePorts.Allocated);
    }

    [Fact]
    public async Task A_status_apply_to_a_service_records_its_entry_for_the_subresource()
    {
        await using var registry = await StartAsync();
        await registry.CreateAsync(Service("web", type: "LoadBalancer"));
        var applied = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]}}}
            """)!.AsObject();

        var updated = await registry.Registry.MutateAsync(
            Services,
            "default",
            "web",
            current => ServerSideApply.Apply(current, applied, "lb", false, PatchSchema.ForKind("v1", "Service"), DateTimeOffset.UnixEpoch, "status").Object!,
            null,
            "status",
            new WriteOptions(),
            registry.Ct);

        Assert.Equal("192.0.2.10", updated["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!.GetValue<string>());
        var entry = updated["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => e["manager"]!.GetValue<string>() == "lb");
        Assert.Equal("status", entry["subresource"]!.GetValue<string>());
        Assert.Equal("""{"f:status":{"f:loadBalancer":{"f:ingress":{}}}}""", entry["fieldsV1"]!.ToJsonString());
    }
}
