using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class ManagedFieldsTests
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Cm = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"a":"1"}}""";

    private static JsonArray Entries(JsonObject obj) => obj["metadata"]!["managedFields"]!.AsArray();

    [Fact]
    public void A_create_gives_the_creator_every_field_but_identity()
    {
        var created = Json.Object(Cm);

        ManagedFields.RecordUpdate(null, created, "kubectl-create", "v1", Noon);

        Json.Equal(
            """
            [{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2025-03-01T12:00:00Z",
              "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]
            """,
            Entries(created));
    }

    [Fact]
    public void An_update_moves_the_fields_it_changes_to_the_updater()
    {
        var created = Json.Object(Cm);
        ManagedFields.RecordUpdate(null, created, "creator", "v1", Noon);
        var updated = (JsonObject)created.DeepClone();
        updated["data"]!["a"] = "2";
        updated["data"]!["b"] = "3";

        ManagedFields.RecordUpdate(created, updated, "editor", "v1", Noon.AddMinutes(1));

        Json.Equal(
            """
            [{"manager":"editor","operation":"Update","apiVersion":"v1","time":"2025-03-01T12:01:00Z",
              "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{},"f:b":{}}}}]
            """,
            Entries(updated));
    }

    [Fact]
    public void Removed_fields_leave_their_owner()
    {
        var created = Json.Object("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}""");
        ManagedFields.RecordUpdate(null, created, "creator", "v1", Noon);
        var updated = (JsonObject)created.DeepClone();
        updated["data"]!.AsObject().Remove("b");

        ManagedFields.RecordUpdate(created, updated, "editor", "v1", Noon.AddMinutes(1));

        Json.Equal("""{"f:data":{"f:a":{}}}""", Entries(updated).Single()!["fieldsV1"]);
    }

    [Fact]
    public void An_update_that_changes_nothing_adds_no_entry()
    {
        var created = Json.Object(Cm);
        ManagedFields.RecordUpdate(null, created, "creator", "v1", Noon);
        var same = (JsonObject)created.DeepClone();

        ManagedFields.RecordUpdate(created, same, "editor", "v1", Noon.AddMinutes(1));

        Assert.Equal("creator", (string?)Entries(same).Single()!["manager"]);
    }

    [Fact]
    public void An_update_without_managed_fields_keeps_the_old_ones()
    {
        var created = Json.Object(Cm);
        ManagedFields.RecordUpdate(null, created, "creator", "v1", Noon);
        var updated = Json.Object("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"a":"1","b":"2"}}""");

        ManagedFields.RecordUpdate(created, updated, "editor", "v1", Noon);

        Assert.Equal(["creator", "editor"], Entries(updated).Select(e => (string)e!["manager"]!).Order().ToArray());
    }

    [Fact]
    public void An_empty_managed_fields_list_resets_ownership()
    {
        var created = Json.Object(Cm);
        ManagedFields.RecordUpdate(null, created, "creator", "v1", Noon);
        var updated = (JsonObject)created.DeepClone();
        updated["metadata"]!["managedFields"] = new JsonArray();
        updated["data"]!["b"] = "2";

        ManagedFields.RecordUpdate(created, updated, "editor", "v1", Noon);

        Json.Equal("""{"f:data":{"f:b":{}}}""", Entries(updated).Single()!["fieldsV1"]);
    }

    [Fact]
    public void Apply_entries_come_before_update_entries()
    {
        var applied = ServerSideApply.Apply(null, Json.Object(Cm), "kubectl", false, PatchSchema.ForKind("v1", "ConfigMap"), Noon).Object!;
        var updated = (JsonObject)applied.DeepClone();
        updated["data"]!["z"] = "9";

        ManagedFields.RecordUpdate(applied, updated, "aaa-editor", "v1", Noon);

        Assert.Equal(["Apply", "Update"], Entries(updated).Select(e => (string)e!["operation"]!).ToArray());
    }
    [Fact]
    public void An_entry_a_write_does_not_touch_is_kept_as_it_was_sent()
    {
        var created = Json.Object("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","managedFields":[
              {"manager":"creator","operation":"Update","apiVersion":"v1","time":"2025-03-01T12:00:00Z","fieldsType":"FieldsV1",
               "fieldsV1":{"f:data":{"f:b":{},"f:a":{}}}}]},"data":{"a":"1","b":"2"}}
            """);
        var updated = (JsonObject)created.DeepClone();
        updated["data"]!["c"] = "3";

        ManagedFields.RecordUpdate(created, updated, "editor", "v1", Noon.AddMinutes(1));

        Assert.Equal("""{"f:data":{"f:b":{},"f:a":{}}}""", Entries(updated)[0]!["fieldsV1"]!.ToJsonString());
        Json.Equal("""{"f:data":{"f:c":{}}}""", Entries(updated)[1]!["fieldsV1"]);
        Assert.Equal("""{"f:data":{"f:b":{},"f:a":{}}}""", Entries(created)[0]!["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public void Changing_only_fields_it_owns_moves_the_updaters_time_alone()
    {
        var created = Json.Object(Cm);
        ManagedFields.RecordUpdate(null, created, "renewer", "v1", Noon);
        var renewed = (JsonObject)created.DeepClone();
        renewed["data"]!["a"] = "2";

        ManagedFields.RecordUpdate(created, renewed, "renewer", "v1", Noon.AddMinutes(1));

        Json.Equal(
            """
            [{"manager":"renewer","operation":"Update","apiVersion":"v1","time":"2025-03-01T12:01:00Z",
              "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]
            """,
            Entries(renewed));
    }

    [Fact]
    public void An_entry_losing_fields_to_another_manager_is_rewritten()
    {
        var created = Json.Object(Cm);
        ManagedFields.RecordUpdate(null, created, "creator", "v1", Noon);
        var updated = (JsonObject)created.DeepClone();
        updated["data"]!["a"] = "2";
        updated["data"]!["b"] = "3";
        ManagedFields.RecordUpdate(created, updated, "editor", "v1", Noon);
        var taken = (JsonObject)updated.DeepClone();
        taken["data"]!["b"] = "4";

        ManagedFields.RecordUpdate(updated, taken, "third", "v1", Noon);

        Assert.Equal(["editor", "third"], Entries(taken).Select(e => (string)e!["manager"]!).ToArray());
        Json.Equal("""{"f:data":{"f:a":{}}}""", Entries(taken)[0]!["fieldsV1"]);
    }
}
