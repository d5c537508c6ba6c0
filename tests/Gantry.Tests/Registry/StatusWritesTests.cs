using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

/// <summary>What a write to the status subresource takes from the writer, as kube's status strategies decide it.</summary>
public sealed class StatusWritesTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject Labelled(JsonObject obj, string key, string value)
    {
        ObjectMetadata.Of(obj)["labels"] = new JsonObject { [key] = value };
        return obj;
    }

    [Fact]
    public async Task A_status_update_takes_the_pods_new_labels_and_annotations_but_keeps_its_spec()
    {
        var created = await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));
        var body = Labelled(created.DeepClone().AsObject(), "tier", "front");
        ObjectMetadata.Of(body)["annotations"] = new JsonObject { ["note"] = "from the status writer" };
        body["spec"]!["nodeName"] = "n2";
        body["status"]!["phase"] = "Running";

        var updated = await _context.UpdateAsync(Pods, body, subresource: "status");

        Assert.Equal("front", (string?)updated["metadata"]!["labels"]!["tier"]);
        Assert.Equal("from the status writer", (string?)updated["metadata"]!["annotations"]!["note"]);
        Assert.Equal("n1", (string?)updated["spec"]!["nodeName"]);
        Assert.Equal("Running", (string?)updated["status"]!["phase"]);
        Assert.Equal("front", _context.Registry.Get(Pods, "default", "web")!.Labels["tier"]);
    }

    [Fact]
    public async Task A_status_update_keeps_a_pods_owner_references()
    {
        var pod = Pod("web", nodeName: "n1");
        ObjectMetadata.Of(pod)["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web", ["uid"] = "rs-uid", ["controller"] = true,
        });
        var created = await _context.CreateAsync(Pods, pod);
        var body = Labelled(created.DeepClone().AsObject(), "tier", "front");
        ObjectMetadata.Of(body).Remove("ownerReferences");

        var updated = await _context.UpdateAsync(Pods, body, subresource: "status");

        Assert.Equal("rs-uid", (string?)updated["metadata"]!["ownerReferences"]![0]!["uid"]);
        Assert.Equal("front", (string?)updated["metadata"]!["labels"]!["tier"]);
    }

    [Fact]
    public async Task A_status_update_keeps_a_deployments_labels_but_takes_its_annotations()
    {
        var created = await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Labelled(created.DeepClone().AsObject(), "tier", "front");
        ObjectMetadata.Of(body)["annotations"] = new JsonObject { ["note"] = "kept" };

        var updated = await _context.UpdateAsync(Deployments, body, subresource: "status");

        Assert.Null(updated["metadata"]!["labels"]);
        Assert.Equal("kept", (string?)updated["metadata"]!["annotations"]!["note"]);
        Assert.Equal(1L, (long)updated["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task A_status_update_with_an_invalid_label_is_refused_and_changes_nothing()
    {
        var created = await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));
        var body = Labelled(created.DeepClone().AsObject(), "tier", "not valid!");

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Pods, body, subresource: "status"));

        Assert.Equal(422, error.Code);
        Assert.Equal(ResourceVersion(created), ResourceVersion(_context.Get(Pods, "web")!));
    }

    [Fact]
    public async Task A_status_patch_that_leaves_the_metadata_alone_records_only_the_status()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"), new WriteOptions(FieldManager: "kubectl-run"));

        var updated = await _context.Registry.MutateAsync(
            Pods, "default", "web", pod => { pod["status"]!["phase"] = "Running"; return pod; }, null, "status", new WriteOptions(FieldManager: "kubelet"), _context.Ct);

        var entry = updated["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["manager"] == "kubelet");
        Assert.Equal("""{"f:status":{"f:phase":{}}}""", entry["fieldsV1"]!.ToJsonString());
    }
}
