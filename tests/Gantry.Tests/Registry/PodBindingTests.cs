using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class PodBindingTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private Task<JsonObject> BindAsync(string pod, string node, string? uid = null, bool dryRun = false) =>
        PodBinding.BindAsync(_context.Registry, "default", pod, node, uid, dryRun, _context.Time, _context.Ct);

    private static JsonObject? Condition(JsonObject pod, string type) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().SingleOrDefault(c => c["type"]?.GetValue<string>() == type);

    [Fact]
    public async Task Binding_sets_the_node_and_a_true_PodScheduled_condition()
    {
        await _context.CreateAsync(Pods, Pod("web"));

        var bound = await BindAsync("web", "n1");

        Assert.Equal("n1", bound["spec"]!["nodeName"]!.GetValue<string>());
        var scheduled = Condition(_context.Get(Pods, "web")!, "PodScheduled");
        Assert.Equal("True", scheduled!["status"]!.GetValue<string>());
        Assert.Equal("2024-05-01T12:00:00Z", scheduled["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal(ResourceVersion(bound), ResourceVersion(_context.Get(Pods, "web")!));
    }

    [Fact]
    public async Task Binding_changes_the_stored_pod_without_a_managed_fields_entry_or_a_new_generation()
    {
        var created = await _context.CreateAsync(Pods, Pod("web"), new WriteOptions(FieldManager: "kubectl"));

        await BindAsync("web", "n1");

        var stored = _context.Get(Pods, "web")!;
        Assert.True(JsonNode.DeepEquals(created["metadata"]!["managedFields"], stored["metadata"]!["managedFields"]));
        Assert.True(JsonNode.DeepEquals(created["metadata"]!["generation"], stored["metadata"]!["generation"]));
    }

    [Fact]
    public async Task Binding_a_bound_pod_is_a_conflict()
    {
        await _context.CreateAsync(Pods, Pod("web"));
        await BindAsync("web", "n1");

        var error = await Assert.ThrowsAsync<ApiException>(() => BindAsync("web", "n2"));

        Assert.Equal(409, error.Code);
        Assert.Contains("pod web is already assigned to node \"n1\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("n1", _context.Get(Pods, "web")!["spec"]!["nodeName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Binding_with_another_pods_uid_is_a_conflict()
    {
        await _context.CreateAsync(Pods, Pod("web"));

        var error = await Assert.ThrowsAsync<ApiException>(() => BindAsync("web", "n1", uid: "not-this-pod"));

        Assert.Equal(409, error.Code);
        Assert.Null(_context.Get(Pods, "web")!["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Binding_a_missing_pod_is_not_found()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => BindAsync("absent", "n1"));

        Assert.Equal(404, error.Code);
    }

    [Fact]
    public async Task A_dry_run_binding_stores_nothing()
    {
        var created = await _context.CreateAsync(Pods, Pod("web"));

        var bound = await BindAsync("web", "n1", dryRun: true);

        Assert.Equal("n1", bound["spec"]!["nodeName"]!.GetValue<string>());
        var stored = _context.Get(Pods, "web")!;
        Assert.Null(stored["spec"]!["nodeName"]);
        Assert.Equal(ResourceVersion(created), ResourceVersion(stored));
    }
}
