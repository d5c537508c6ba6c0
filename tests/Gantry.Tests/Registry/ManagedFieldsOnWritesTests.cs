using System.Text.Json.Nodes;
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
}
