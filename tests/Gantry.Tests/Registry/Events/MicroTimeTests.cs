using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Xunit;

namespace Gantry.Tests.Registry.Events;

public sealed class MicroTimeTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_micro_time_on_a_whole_second_is_stored_with_its_six_fraction_digits_as_go_clients_parse_it()
    {
        var created = await _context.CreateAsync(ResourceCatalog.Get("", "events"), JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "default"},
             "involvedObject": {"kind": "Node", "name": "vm"}, "eventTime": "2025-06-01T12:00:00Z",
             "series": {"count": 2, "lastObservedTime": "2025-06-01T12:01:00.5Z"}, "lastTimestamp": "2025-06-01T12:00:00Z",
             "reportingComponent": "example.com/c", "reportingInstance": "c-1", "action": "Sync", "reason": "Synced", "type": "Normal"}
            """)!.AsObject());

        Assert.Equal("2025-06-01T12:00:00.000000Z", created["eventTime"]!.GetValue<string>());
        Assert.Equal("2025-06-01T12:01:00.500000Z", created["series"]!["lastObservedTime"]!.GetValue<string>());
        Assert.Equal("2025-06-01T12:00:00Z", created["lastTimestamp"]!.GetValue<string>());
    }
}
