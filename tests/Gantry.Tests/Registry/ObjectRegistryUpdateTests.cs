using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class ObjectRegistryUpdateTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject WithLabel(JsonObject obj, string key, string value)
    {
        var metadata = ObjectMetadata.Of(obj);
        var labels = metadata["labels"] as JsonObject ?? [];
        labels[key] = value;
        metadata["labels"] = labels;
        return obj;
    }

    private static long Generation(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_a_conflict()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        await _context.UpdateAsync(ConfigMaps, WithLabel(created.DeepClone().AsObject(), "a", "1"));

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.UpdateAsync(ConfigMaps, WithLabel(created.DeepClone().AsObject(), "b", "2")));

        Assert.Equal(409, error.Code);
        Assert.Equal("Conflict", error.Reason);
        Assert.Equal(
            "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please apply your changes to the latest version and try again",
            error.Message);
    }

    [Fact]
    public async Task Update_without_a_resourceVersion_is_unconditional()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        await _context.UpdateAsync(ConfigMaps, WithLabel(created.DeepClone().AsObject(), "a", "1"));
        var unversioned = WithLabel(ConfigMap("x"), "b", "2");

        var updated = await _context.UpdateAsync(ConfigMaps, unversioned);

        Assert.Equal("2", updated["metadata"]!["labels"]!["b"]!.GetValue<string>());
        Assert.Equal(ObjectMetadata.Uid(created), ObjectMetadata.Uid(updated));
        Assert.NotEqual(ResourceVersion(created), ResourceVersion(updated));
    }

    [Fact]
    public async Task A_dry_run_update_answers_with_the_stored_resourceVersion_and_stores_nothing()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        var revision = _context.Store.Revision;

        var answered = await _context.UpdateAsync(ConfigMaps, WithLabel(created.DeepClone().AsObject(), "a", "1"), options: new WriteOptions(DryRun: true));

        Assert.Equal(ResourceVersion(created), ResourceVersion(answered));
        Assert.Equal("1", answered["metadata"]!["labels"]!["a"]!.GetValue<string>());
        Assert.Equal(revision, _context.Store.Revision);
    }

    [Fact]
    public async Task A_dry_run_patch_answers_with_the_stored_resourceVersion()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        var answered = await _context.MutateAsync(ConfigMaps, "x", obj => WithLabel(obj, "a", "1"), new WriteOptions(DryRun: true));

        Assert.Equal(ResourceVersion(created), ResourceVersion(answered));
    }

    [Fact]
    public async Task Update_that_changes_nothing_keeps_the_resourceVersion()
    {
        var created = await _context.CreateAsync(Deployments, Deployment("web"));
        var revision = _context.Store.Revision;

        var updated = await _context.UpdateAsync(Deployments, _context.Get(Deployments, "web")!);

        Assert.Equal(ResourceVersion(created), ResourceVersion(updated));
        Assert.Equal(revision, _context.Store.Revision);
    }

    [Fact]
    public async Task Update_whose_name_differs_from_the_url_is_a_BadRequest()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.Registry.UpdateAsync(ConfigMaps, "default", "x", ConfigMap("y"), null, new WriteOptions(), _context.Ct));

        Assert.Equal(400, error.Code);
        Assert.Equal("the name of the object (y) does not match the name on the URL (x)", error.Message);
    }

    [Fact]
    public async Task Update_of_a_missing_object_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(ConfigMaps, ConfigMap("x")));

        Assert.Equal(404, error.Code);
        Assert.Equal("configmaps \"x\" not found", error.Message);
    }

    [Fact]
    public async Task A_spec_change_bumps_the_generation()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));

        var updated = await _context.UpdateAsync(Deployments, Deployment("web", replicas: 3));

        Assert.Equal(2, Generation(updated));
    }

    [Fact]
    public async Task A_label_change_keeps_the_generation()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));

        var updated = await _context.UpdateAsync(Deployments, WithLabel(Deployment("web"), "tier", "front"));

        Assert.Equal("front", updated["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal(1, Generation(updated));
    }

    [Fact]
    public async Task Update_of_the_main_resource_keeps_the_stored_status()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var withStatus = Deployment("web");
        withStatus["status"] = new JsonObject { ["replicas"] = 2 };
        await _context.UpdateAsync(Deployments, withStatus, subresource: "status");
        var main = Deployment("web", replicas: 3);
        main["status"] = new JsonObject { ["replicas"] = 99 };

        var updated = await _context.UpdateAsync(Deployments, main);

        Assert.Equal(3, updated["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, updated["status"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Update_of_the_status_subresource_keeps_the_spec_and_metadata()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = WithLabel(Deployment("web", replicas: 7), "tier", "front");
        body["status"] = new JsonObject { ["replicas"] = 2 };

        var updated = await _context.UpdateAsync(Deployments, body, subresource: "status");

        Assert.Equal(2, updated["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, updated["spec"]!["replicas"]!.GetValue<int>());
        Assert.Null(updated["metadata"]!["labels"]);
        Assert.Equal(1, Generation(updated));
    }

    [Fact]
    public async Task A_status_update_with_the_stored_status_writes_nothing()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Deployment("web", replicas: 7);
        body["status"] = new JsonObject { ["replicas"] = 2 };
        var first = await _context.UpdateAsync(Deployments, body, subresource: "status");
        var revision = _context.Store.Revision;

        var again = await _context.UpdateAsync(Deployments, body, subresource: "status");

        Assert.Equal(ResourceVersion(first), ResourceVersion(again));
        Assert.Equal(revision, _context.Store.Revision);
    }

    [Fact]
    public async Task A_status_update_that_changes_the_status_is_written()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Deployment("web");
        body["status"] = new JsonObject { ["replicas"] = 2 };
        var first = await _context.UpdateAsync(Deployments, body, subresource: "status");
        body["status"] = new JsonObject { ["replicas"] = 3 };

        var second = await _context.UpdateAsync(Deployments, body, subresource: "status");

        Assert.NotEqual(ResourceVersion(first), ResourceVersion(second));
        Assert.Equal(3, second["status"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_status_update_with_an_unknown_status_field_is_refused_under_strict_validation()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Deployment("web");
        body["status"] = new JsonObject { ["replicas"] = 2, ["bogus"] = true };

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.UpdateAsync(Deployments, body, subresource: "status", new WriteOptions(FieldValidation: FieldValidation.Strict)));

        Assert.Equal(400, error.Code);
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"status.bogus\"",
            error.Message);
        Assert.Null(_context.Get(Deployments, "web")!["status"]?["replicas"]);
    }

    [Fact]
    public async Task A_status_update_drops_an_unknown_status_field_with_a_warning()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Deployment("web");
        body["status"] = new JsonObject { ["replicas"] = 2, ["bogus"] = true };
        var options = new WriteOptions(FieldValidation: FieldValidation.Warn);

        var updated = await _context.UpdateAsync(Deployments, body, subresource: "status", options);

        Assert.Equal(["unknown field \"status.bogus\""], options.Warnings);
        Assert.Equal(2, updated["status"]!["replicas"]!.GetValue<int>());
        Assert.Null(updated["status"]!["bogus"]);
    }

    [Fact]
    public async Task A_status_update_with_a_wrongly_typed_status_field_is_a_bad_request()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Deployment("web");
        body["status"] = new JsonObject { ["replicas"] = "two" };

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Deployments, body, subresource: "status"));

        Assert.Equal(400, error.Code);
        Assert.StartsWith("Deployment in version \"v1\" cannot be handled as a Deployment: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_update_without_a_status_removes_the_stored_one()
    {
        await _context.CreateAsync(Deployments, Deployment("web"));
        var body = Deployment("web");
        body["status"] = new JsonObject { ["replicas"] = 2 };
        await _context.UpdateAsync(Deployments, body, subresource: "status");
        body.Remove("status");

        var updated = await _context.UpdateAsync(Deployments, body, subresource: "status");

        Assert.Null(updated["status"]);
        Assert.NotNull(updated["spec"]);
    }

    [Fact]
    public async Task Concurrent_mutations_of_one_object_all_land()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _context.MutateAsync(ConfigMaps, "x", obj => WithLabel(obj, $"label-{i}", "set")))));

        var labels = _context.Get(ConfigMaps, "x")!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"label-{i}").Order(StringComparer.Ordinal), labels.Select(l => l.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Mutate_retries_on_the_new_state_after_a_concurrent_write()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        var calls = 0;

        var result = await _context.MutateAsync(ConfigMaps, "x", obj =>
        {
            if (++calls == 1)
            {
                WriteBehindTheRegistrysBack(WithLabel(ConfigMap("x"), "other", "writer"));
            }

            return WithLabel(obj, "mine", "set");
        });

        Assert.Equal(2, calls);
        Assert.Equal("writer", result["metadata"]!["labels"]!["other"]!.GetValue<string>());
        Assert.Equal("set", result["metadata"]!["labels"]!["mine"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mutate_keeps_retrying_for_as_long_as_other_writers_win()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        const int lost = 20;
        var calls = 0;

        var result = await _context.MutateAsync(ConfigMaps, "x", obj =>
        {
            if (++calls <= lost)
            {
                WriteBehindTheRegistrysBack(WithLabel(ConfigMap("x"), "other", $"write-{calls}"));
            }

            return WithLabel(obj, "mine", "set");
        });

        Assert.Equal(lost + 1, calls);
        Assert.Equal($"write-{lost}", result["metadata"]!["labels"]!["other"]!.GetValue<string>());
        Assert.Equal("set", result["metadata"]!["labels"]!["mine"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mutate_with_a_stale_resourceVersion_precondition_is_a_conflict()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        await _context.MutateAsync(ConfigMaps, "x", obj => WithLabel(obj, "a", "1"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.Registry.MutateAsync(
            ConfigMaps, "default", "x", obj => WithLabel(obj, "b", "2"), ResourceVersion(created), null, new WriteOptions(), _context.Ct));

        Assert.Equal(409, error.Code);
        Assert.Null(_context.Get(ConfigMaps, "x")!["metadata"]!["labels"]!["b"]);
    }

    [Fact]
    public async Task A_retried_mutation_warns_about_an_unknown_field_once()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        var options = new WriteOptions(FieldValidation: FieldValidation.Warn);
        var calls = 0;

        await _context.MutateAsync(ConfigMaps, "x", obj =>
        {
            if (++calls == 1)
            {
                WriteBehindTheRegistrysBack(WithLabel(ConfigMap("x"), "other", "writer"));
            }

            obj["bogus"] = true;
            return WithLabel(obj, "mine", "set");
        }, options);

        Assert.Equal(2, calls);
        Assert.Equal(["unknown field \"bogus\""], options.Warnings);
    }

    [Fact]
    public async Task Update_carrying_the_uid_of_a_deleted_and_recreated_object_is_a_conflict()
    {
        var original = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        await _context.DeleteAsync(ConfigMaps, "x");
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        var stale = WithLabel(original.DeepClone().AsObject(), "a", "1");
        ObjectMetadata.Of(stale).Remove("resourceVersion");

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(ConfigMaps, stale));

        Assert.Equal(409, error.Code);
        Assert.Null(_context.Get(ConfigMaps, "x")!["metadata"]!["labels"]);
    }

    [Fact]
    public async Task Adding_a_finalizer_to_an_object_being_deleted_is_invalid()
    {
        var input = ConfigMap("x");
        ObjectMetadata.Of(input)["finalizers"] = new JsonArray("example.com/a");
        await _context.CreateAsync(ConfigMaps, input);
        await _context.DeleteAsync(ConfigMaps, "x");

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.MutateAsync(ConfigMaps, "x", obj =>
        {
            ObjectMetadata.Of(obj)["finalizers"] = new JsonArray("example.com/a", "example.com/b");
            return obj;
        }));

        Assert.Equal(422, error.Code);
        Assert.Equal("metadata.finalizers", error.Details!["causes"]![0]!["field"]!.GetValue<string>());
    }

    /// <summary>
    /// Commits a new version of configmap x straight to the store, as another API server would, from inside
    /// a mutation (which is synchronous), so that the mutation's compare-and-swap is certain to fail.
    /// </summary>
    private void WriteBehindTheRegistrysBack(JsonObject replacement)
    {
        var stored = _context.Get(ConfigMaps, "x")!;
        ObjectMetadata.Of(stored)["labels"] = replacement["metadata"]!["labels"]!.DeepClone();
        ObjectMetadata.Of(stored).Remove("resourceVersion");
        var result = _context.Store
            .CommitAsync(new Mutation(ConfigMaps.Key("default", "x"), Encoding.UTF8.GetBytes(stored.ToJsonString()), null), _context.Ct)
            .GetAwaiter().GetResult();
        Assert.True(result.Succeeded);
    }
}
