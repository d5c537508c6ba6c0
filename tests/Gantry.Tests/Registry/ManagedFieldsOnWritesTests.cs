using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class ManagedFieldsOnWritesTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => e["manager"]!.GetValue<string>() == manager);

    [Fact]
    public async Task The_creator_of_a_pod_owns_its_defaulted_spec_but_not_the_status_the_server_starts()
    {
        var created = await _context.CreateAsync(Pods, Pod("web"), new WriteOptions(FieldManager: "kubectl-run"));

        var fields = Entry(created, "kubectl-run")["fieldsV1"]!.AsObject();
        Assert.Equal("Pending", created["status"]!["phase"]!.GetValue<string>());
        Assert.Null(fields["f:status"]);
        Assert.NotNull(fields["f:spec"]!["f:restartPolicy"]);
    }

    [Fact]
    public async Task A_status_write_leaves_the_creators_entry_as_it_was()
    {
        var created = await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"), new WriteOptions(FieldManager: "kubectl-run"));
        var running = (JsonObject)created.DeepClone();
        running["status"]!["phase"] = "Running";

        var updated = await _context.UpdateAsync(Pods, running, "status", new WriteOptions(FieldManager: "kubelet"));

        Assert.Equal(Entry(created, "kubectl-run").ToJsonString(), Entry(updated, "kubectl-run").ToJsonString());
        Assert.Equal("""{"f:status":{"f:phase":{}}}""", Entry(updated, "kubelet")["fieldsV1"]!.ToJsonString());
        Assert.Equal("status", Entry(updated, "kubelet")["subresource"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_apply_changes_the_status_and_records_its_entry_for_the_subresource()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"), new WriteOptions(FieldManager: "kubectl-run"));
        var applied = Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"status":{"message":"applied"}}""");

        var updated = await ApplyStatusAsync(applied, "status-applier");

        Assert.Equal("applied", updated["status"]!["message"]!.GetValue<string>());
        var entry = Entry(updated, "status-applier");
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("status", entry["subresource"]!.GetValue<string>());
        Assert.Equal("""{"f:status":{"f:message":{}}}""", entry["fieldsV1"]!.ToJsonString());
        Assert.NotNull(Entry(updated, "kubectl-run"));
    }

    [Fact]
    public async Task A_status_apply_that_sets_a_label_writes_it_and_owns_it_for_the_subresource()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"), new WriteOptions(FieldManager: "kubectl-run"));
        var applied = Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"probed":"yes"}},"status":{"message":"applied"}}""");

        var updated = await ApplyStatusAsync(applied, "status-applier");

        Assert.Equal("yes", updated["metadata"]!["labels"]!["probed"]!.GetValue<string>());
        Assert.Equal("applied", updated["status"]!["message"]!.GetValue<string>());
        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:probed":{}}},"f:status":{"f:message":{}}}""",
            Entry(updated, "status-applier")["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task An_apply_that_only_shares_a_field_is_written()
    {
        var configMap = Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"},"data":{"color":"blue"}}""");
        var schema = PatchSchema.ForKind("v1", "ConfigMap");
        await _context.CreateAsync(ConfigMaps, ServerSideApply.Apply(null, configMap, "first", false, schema, Start).Object!);

        var updated = await _context.MutateAsync(ConfigMaps, "shared", current => ServerSideApply.Apply(current, configMap, "second", false, schema, Start).Object!);

        Assert.Equal("""{"f:data":{"f:color":{}}}""", Entry(updated, "second")["fieldsV1"]!.ToJsonString());
        Assert.NotNull(Entry(updated, "first"));
    }

    /// <summary>Applies <paramref name="applied"/> to pod web's status subresource as the API's apply handler does.</summary>
    private Task<JsonObject> ApplyStatusAsync(JsonObject applied, string manager) =>
        _context.Registry.MutateAsync(
            Pods,
            "default",
            "web",
            current => ServerSideApply.Apply(current, applied, manager, false, PatchSchema.ForKind("v1", "Pod"), Start, "status").Object!,
            null,
            "status",
            new WriteOptions(),
            _context.Ct);

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();
}
