using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class ServerSideApplyTests
{
    private static readonly PatchSchema Deployment = PatchSchema.ForKind("apps/v1", "Deployment");
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Noon.AddHours(1);

    private const string Web = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}
        """;

    private static JsonObject Created(string applied = Web, string manager = "kubectl") =>
        ServerSideApply.Apply(null, Json.Object(applied), manager, false, Deployment, Noon).Object!;

    private static ApplyResult Apply(JsonObject live, string applied, string manager = "kubectl", bool force = false) =>
        ServerSideApply.Apply(live, Json.Object(applied), manager, force, Deployment, Later);

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Cast<JsonObject>().Single(e => (string?)e["manager"] == manager);

    [Fact]
    public void Creating_from_nothing_takes_the_applied_object_and_records_its_fields()
    {
        var created = Created();

        Json.Equal(
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"},"managedFields":[
              {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2025-03-01T12:00:00Z","fieldsType":"FieldsV1",
               "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}}]},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}
            """,
            created);
    }

    [Fact]
    public void Applying_only_annotations_keeps_the_spec()
    {
        var live = Created();

        var result = Apply(live, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","annotations":{"team":"blue"}}}""", "annotator");

        Assert.True(result.Succeeded);
        Json.Equal("""{"replicas":2,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}""", result.Object!["spec"]);
        Json.Equal("""{"app":"web"}""", result.Object["metadata"]!["labels"]);
        Json.Equal("""{"team":"blue"}""", result.Object["metadata"]!["annotations"]);
    }

    [Fact]
    public void A_manager_reapplying_without_a_field_it_owned_removes_it()
    {
        var live = Created();

        var result = Apply(live, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}
            """);

        Assert.True(result.Succeeded);
        Assert.Null(result.Object!["spec"]!["replicas"]);
        Assert.Null(result.Object["metadata"]!["labels"]);
    }

    [Fact]
    public void A_dropped_field_another_manager_also_owns_stays()
    {
        var live = Apply(Created(), """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}}}""", "labeller").Object!;

        var result = Apply(live, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,
             "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}
            """);

        Json.Equal("""{"app":"web"}""", result.Object!["metadata"]!["labels"]);
    }

    [Fact]
    public void Dropping_a_keyed_element_removes_only_that_element()
    {
        var live = Created("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1"},{"name":"sidecar","image":"proxy:1"}]}}}}
            """);

        var result = Apply(live, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1"}]}}}}
            """);

        Json.Equal("""[{"name":"nginx","image":"nginx:1"}]""", result.Object!["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Changing_a_field_another_manager_owns_is_a_conflict()
    {
        var live = Created();
        var scaled = Scaled(live, 5);
        ManagedFields.RecordUpdate(live, scaled, "kubectl-scale", "apps/v1", Noon);

        var result = Apply(scaled, Web);

        Assert.False(result.Succeeded);
        Assert.Null(result.Object);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal(new ApplyConflict("kubectl-scale", "Update", "apps/v1", ".spec.replicas"), conflict);
        Assert.Equal(
            "Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas",
            result.ConflictMessage);
    }

    [Fact]
    public void Applying_the_value_another_manager_set_is_no_conflict_and_shares_the_field()
    {
        var live = Created();

        var result = Apply(live, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}""", "helper");

        Assert.True(result.Succeeded);
        Json.Equal("""{"f:spec":{"f:replicas":{}}}""", Entry(result.Object!, "helper")["fieldsV1"]);
        Assert.NotNull(Entry(result.Object!, "kubectl")["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public void Force_takes_ownership_of_conflicting_fields()
    {
        var live = Created();
        var scaled = Scaled(live, 5);
        ManagedFields.RecordUpdate(live, scaled, "kubectl-scale", "apps/v1", Noon);

        var result = Apply(scaled, Web, force: true);

        Assert.True(result.Succeeded);
        Assert.Equal(2, (int)result.Object!["spec"]!["replicas"]!);
        Assert.DoesNotContain(
            result.Object["metadata"]!["managedFields"]!.AsArray(),
            e => (string?)e!["manager"] == "kubectl-scale");
    }

    [Fact]
    public void An_object_nobody_tracked_is_owned_by_before_first_apply()
    {
        var untracked = Json.Object(Web);

        var result = Apply(untracked, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}}""");

        Assert.Equal("before-first-apply", Assert.Single(result.Conflicts).Manager);
    }

    [Fact]
    public void Port_keys_match_live_ports_whose_protocol_was_defaulted()
    {
        var live = Created("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}}
            """);

        var result = Apply(live, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80,"name":"http"}]}]}}}}
            """);

        Json.Equal(
            """[{"containerPort":80,"protocol":"TCP","name":"http"}]""",
            result.Object!["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]);
    }

    [Fact]
    public void Reapplying_the_same_configuration_changes_nothing()
    {
        var live = Created();

        var result = Apply(live, Web);

        Json.Equal(live.ToJsonString(), result.Object);
    }

    [Fact]
    public void Applied_status_of_a_kind_with_a_status_subresource_is_ignored()
    {
        var live = Created();
        live["status"] = Json.Parse("""{"replicas":2}""");

        var result = Apply(live, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"status":{"replicas":7}}""", "other");

        Json.Equal("""{"replicas":2}""", result.Object!["status"]);
        Assert.DoesNotContain(
            result.Object["metadata"]!["managedFields"]!.AsArray(),
            e => (string?)e!["manager"] == "other");
    }

    [Fact]
    public void A_null_creation_timestamp_in_a_generated_manifest_keeps_the_live_one()
    {
        var live = Created();
        live["metadata"]!["creationTimestamp"] = "2025-03-01T12:00:00Z";

        var result = Apply(live, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","creationTimestamp":null}}""");

        Assert.Equal("2025-03-01T12:00:00Z", (string?)result.Object!["metadata"]!["creationTimestamp"]);
    }

    [Fact]
    public void Applied_managed_fields_are_rejected()
    {
        var error = Assert.Throws<PatchException>(() => Apply(
            Created(),
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","managedFields":[]}}"""));

        Assert.Equal("metadata.managedFields must be nil", error.Message);
    }

    [Fact]
    public void Leaves_the_live_object_unchanged()
    {
        var live = Created();
        var before = live.ToJsonString();

        Apply(live, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":9}}""", force: true);

        Assert.Equal(before, live.ToJsonString());
    }

    private static JsonObject Scaled(JsonObject obj, int replicas)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["spec"]!["replicas"] = replicas;
        return copy;
    }

    [Fact]
    public void Applying_to_a_deployment_s_status_keeps_its_spec_and_labels_and_names_the_subresource()
    {
        var live = Created();

        var result = ServerSideApply.Apply(
            live,
            Json.Object("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"tier":"x"}},"spec":{"replicas":9},
                 "status":{"observedGeneration":3}}
                """),
            "status-writer",
            false,
            Deployment,
            Later,
            "status");

        Assert.True(result.Succeeded);
        Json.Equal("""{"observedGeneration":3}""", result.Object!["status"]);
        Assert.Equal(2, (int)result.Object["spec"]!["replicas"]!);
        Json.Equal("""{"app":"web"}""", result.Object["metadata"]!["labels"]);
        var entry = Entry(result.Object, "status-writer");
        Assert.Equal("status", (string?)entry["subresource"]);
        Json.Equal("""{"f:status":{"f:observedGeneration":{}}}""", entry["fieldsV1"]);
    }

    [Fact]
    public void Applying_to_a_pod_s_status_takes_its_labels_and_annotations_but_not_its_owner_references()
    {
        var pod = PatchSchema.ForKind("v1", "Pod");
        var live = ServerSideApply.Apply(
            null,
            Json.Object("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"""),
            "kubectl",
            false,
            pod,
            Noon).Object!;

        var result = ServerSideApply.Apply(
            live,
            Json.Object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"ready":"yes"},"annotations":{"probe":"ok"},
                 "ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"rc","uid":"u1"}]},
                 "spec":{"nodeName":"elsewhere"},"status":{"message":"up"}}
                """),
            "status-writer",
            false,
            pod,
            Later,
            "status");

        Assert.True(result.Succeeded);
        Json.Equal("""{"ready":"yes"}""", result.Object!["metadata"]!["labels"]);
        Json.Equal("""{"probe":"ok"}""", result.Object["metadata"]!["annotations"]);
        Assert.Null(result.Object["metadata"]!["ownerReferences"]);
        Assert.Null(result.Object["spec"]!["nodeName"]);
        Json.Equal(
            """{"f:metadata":{"f:annotations":{"f:probe":{}},"f:labels":{"f:ready":{}}},"f:status":{"f:message":{}}}""",
            Entry(result.Object, "status-writer")["fieldsV1"]);
    }

    [Fact]
    public void A_status_field_updated_through_the_subresource_conflicts_in_the_subresource_s_name()
    {
        var live = Created();
        var reported = live.DeepClone().AsObject();
        reported["status"] = new JsonObject { ["replicas"] = 2 };
        ManagedFields.RecordUpdate(live, reported, "controller", "apps/v1", Noon, "status");

        var result = ServerSideApply.Apply(
            reported,
            Json.Object("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"status":{"replicas":5}}"""),
            "status-writer",
            false,
            Deployment,
            Later,
            "status");

        Assert.False(result.Succeeded);
        Assert.Equal(
            "Apply failed with 1 conflict: conflict with \"controller\" with subresource \"status\" using apps/v1: .status.replicas",
            result.ConflictMessage);
    }
}
