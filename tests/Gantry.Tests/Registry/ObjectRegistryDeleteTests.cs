using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class ObjectRegistryDeleteTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject WithFinalizers(JsonObject obj, params string[] finalizers)
    {
        ObjectMetadata.Of(obj)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        return obj;
    }

    private static string? DeletionTimestamp(JsonObject obj) => obj["metadata"]?["deletionTimestamp"]?.GetValue<string>();

    private static long? DeletionGracePeriodSeconds(JsonObject obj) => obj["metadata"]?["deletionGracePeriodSeconds"]?.GetValue<long>();

    [Fact]
    public async Task Delete_returns_the_object_and_it_is_gone()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        var deleted = await _context.DeleteAsync(ConfigMaps, "x");

        Assert.Equal(ObjectMetadata.Uid(created), ObjectMetadata.Uid(deleted));
        Assert.Equal(_context.Store.Revision.ToString(CultureInfo.InvariantCulture), ResourceVersion(deleted));
        Assert.Null(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Delete_of_a_missing_object_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => _context.DeleteAsync(ConfigMaps, "x"));

        Assert.Equal(404, error.Code);
        Assert.Equal("configmaps \"x\" not found", error.Message);
    }

    [Fact]
    public async Task Delete_with_a_uid_precondition_that_does_not_match_is_a_conflict()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.DeleteAsync(ConfigMaps, "x", new DeleteRequest(PreconditionUid: "00000000-0000-0000-0000-000000000000")));

        Assert.Equal(409, error.Code);
        Assert.Equal(
            $"Operation cannot be fulfilled on configmaps \"x\": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: {ObjectMetadata.Uid(created)}",
            error.Message);
        Assert.NotNull(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Delete_with_a_matching_uid_precondition_deletes()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        await _context.DeleteAsync(ConfigMaps, "x", new DeleteRequest(PreconditionUid: ObjectMetadata.Uid(created)));

        Assert.Null(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Delete_with_dryRun_keeps_the_object()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        await _context.DeleteAsync(ConfigMaps, "x", new DeleteRequest(DryRun: true));

        Assert.NotNull(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Delete_of_an_object_with_finalizers_marks_it_for_deletion_and_keeps_it()
    {
        await _context.CreateAsync(ConfigMaps, WithFinalizers(ConfigMap("x"), "example.com/hold"));

        var deleted = await _context.DeleteAsync(ConfigMaps, "x");

        Assert.Equal("2024-05-01T12:00:00Z", DeletionTimestamp(deleted));
        Assert.Equal(0, DeletionGracePeriodSeconds(deleted));
        var stored = _context.Get(ConfigMaps, "x");
        Assert.NotNull(stored);
        Assert.Equal("2024-05-01T12:00:00Z", DeletionTimestamp(stored));
        Assert.Equal(ResourceVersion(deleted), ResourceVersion(stored));
    }

    [Fact]
    public async Task Deleting_an_object_already_marked_for_deletion_changes_nothing()
    {
        await _context.CreateAsync(ConfigMaps, WithFinalizers(ConfigMap("x"), "example.com/hold"));
        var first = await _context.DeleteAsync(ConfigMaps, "x");
        _context.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await _context.DeleteAsync(ConfigMaps, "x");

        Assert.Equal(ResourceVersion(first), ResourceVersion(second));
        Assert.Equal("2024-05-01T12:00:00Z", DeletionTimestamp(second));
    }

    [Fact]
    public async Task Removing_the_last_finalizer_of_an_object_marked_for_deletion_deletes_it()
    {
        await _context.CreateAsync(ConfigMaps, WithFinalizers(ConfigMap("x"), "example.com/hold"));
        await _context.DeleteAsync(ConfigMaps, "x");

        await _context.MutateAsync(ConfigMaps, "x", obj => WithFinalizers(obj));

        Assert.Null(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Removing_one_of_two_finalizers_keeps_the_object()
    {
        await _context.CreateAsync(ConfigMaps, WithFinalizers(ConfigMap("x"), "example.com/a", "example.com/b"));
        await _context.DeleteAsync(ConfigMaps, "x");

        await _context.MutateAsync(ConfigMaps, "x", obj => WithFinalizers(obj, "example.com/b"));

        Assert.NotNull(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Foreground_propagation_adds_the_foregroundDeletion_finalizer()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));

        var deleted = await _context.DeleteAsync(Deployments, "web", new DeleteRequest(PropagationPolicy: "Foreground"));

        Assert.Equal(["foregroundDeletion"], ObjectMetadata.Finalizers(deleted));
        Assert.NotNull(DeletionTimestamp(deleted));
        Assert.Equal(["foregroundDeletion"], ObjectMetadata.Finalizers(_context.Get(Deployments, "web")!));
    }

    [Fact]
    public async Task Deleting_a_namespace_marks_it_Terminating()
    {
        await _context.CreateAsync(Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });

        await _context.DeleteAsync(Namespaces, "doomed");

        var stored = _context.Get(Namespaces, "doomed");
        Assert.NotNull(stored);
        Assert.Equal("Terminating", stored["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(DeletionTimestamp(stored));
    }

    [Fact]
    public async Task Deleting_a_scheduled_pod_starts_its_grace_period()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));

        var deleted = await _context.DeleteAsync(Pods, "web");

        Assert.Equal("2024-05-01T12:00:30Z", DeletionTimestamp(deleted));
        Assert.Equal(30, DeletionGracePeriodSeconds(deleted));
        Assert.Equal(30, DeletionGracePeriodSeconds(_context.Get(Pods, "web")!));
    }

    [Fact]
    public async Task Deleting_a_scheduled_pod_again_with_a_shorter_grace_period_counts_it_from_the_first_request()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));
        await _context.DeleteAsync(Pods, "web");
        _context.Time.Advance(TimeSpan.FromSeconds(2));

        var deleted = await _context.DeleteAsync(Pods, "web", new DeleteRequest(GracePeriodSeconds: 5));

        Assert.Equal("2024-05-01T12:00:05Z", DeletionTimestamp(deleted));
        Assert.Equal(5, DeletionGracePeriodSeconds(deleted));
    }

    [Fact]
    public async Task Deleting_a_gracefully_deleting_pod_with_grace_period_zero_removes_it()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));
        await _context.DeleteAsync(Pods, "web");

        await _context.DeleteAsync(Pods, "web", new DeleteRequest(GracePeriodSeconds: 0));

        Assert.Null(_context.Get(Pods, "web"));
    }

    [Fact]
    public async Task Deleting_an_unscheduled_pod_removes_it_at_once()
    {
        await _context.CreateAsync(Pods, Pod("web"));

        await _context.DeleteAsync(Pods, "web");

        Assert.Null(_context.Get(Pods, "web"));
    }

    [Fact]
    public async Task Delete_with_a_resourceVersion_precondition_that_does_not_match_is_a_conflict()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        await _context.MutateAsync(ConfigMaps, "x", obj =>
        {
            ObjectMetadata.Of(obj)["labels"] = new JsonObject { ["a"] = "1" };
            return obj;
        });

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.DeleteAsync(ConfigMaps, "x", new DeleteRequest(PreconditionResourceVersion: ResourceVersion(created))));

        Assert.Equal(409, error.Code);
        Assert.NotNull(_context.Get(ConfigMaps, "x"));
    }

    [Fact]
    public async Task Orphan_propagation_adds_the_orphan_finalizer()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));

        var deleted = await _context.DeleteAsync(Deployments, "web", new DeleteRequest(PropagationPolicy: "Orphan"));

        Assert.Equal(["orphan"], ObjectMetadata.Finalizers(deleted));
        Assert.NotNull(_context.Get(Deployments, "web"));
    }

    [Fact]
    public async Task Background_propagation_deletes_at_once()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));

        await _context.DeleteAsync(Deployments, "web", new DeleteRequest(PropagationPolicy: "Background"));

        Assert.Null(_context.Get(Deployments, "web"));
    }

    [Fact]
    public async Task Marking_an_object_that_tracks_generation_for_deletion_bumps_its_generation()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));

        var deleted = await _context.DeleteAsync(Deployments, "web", new DeleteRequest(PropagationPolicy: "Foreground"));

        Assert.Equal(2, deleted["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Deleting_a_scheduled_pod_that_has_finished_removes_it_at_once()
    {
        await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));
        var finished = _context.Get(Pods, "web")!;
        finished["status"]!["phase"] = "Succeeded";
        await _context.UpdateAsync(Pods, finished, subresource: "status");

        await _context.DeleteAsync(Pods, "web");

        Assert.Null(_context.Get(Pods, "web"));
    }

    [Fact]
    public async Task A_finished_pod_held_by_a_finalizer_is_removed_once_the_finalizer_goes()
    {
        await _context.CreateAsync(Pods, WithFinalizers(Pod("web", nodeName: "n1"), "example.com/hold"));
        await _context.DeleteAsync(Pods, "web");
        var stopped = _context.Get(Pods, "web")!;
        stopped["status"]!["phase"] = "Failed";
        await _context.UpdateAsync(Pods, stopped, subresource: "status");

        // The node's last delete, once the containers have stopped: a finished pod has no grace period left.
        var deleted = await _context.DeleteAsync(Pods, "web", new DeleteRequest(GracePeriodSeconds: 0));
        Assert.Equal(0, DeletionGracePeriodSeconds(deleted));
        await _context.MutateAsync(Pods, "web", obj => WithFinalizers(obj));

        Assert.Null(_context.Get(Pods, "web"));
    }
}
