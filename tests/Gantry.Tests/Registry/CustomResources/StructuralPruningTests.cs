using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

public sealed class StructuralPruningTests
{
    // pkg/apiserver/schema/pruning/algorithm.go and customresource_handler.go's unstructuredSchemaCoercer.
    private static readonly StructuralSchema Schema = Schemas.Parse("""
        {"type":"object","properties":{
          "spec":{"type":"object","properties":{
            "replicas":{"type":"integer"},
            "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
            "labels":{"type":"object","additionalProperties":{"type":"object","properties":{"v":{"type":"string"}}}},
            "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"known":{"type":"object","properties":{"a":{"type":"string"}}}}},
            "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object","properties":{"image":{"type":"string"}}}}}}},
          "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}
        """);

    [Fact]
    public void Fields_the_schema_does_not_specify_are_removed_and_reported_by_path()
    {
        var obj = Schemas.Object("""{"apiVersion":"x/v1","kind":"X","metadata":{"name":"a"},"spec":{"replicas":1,"bogus":2},"other":{}}""");

        var pruned = StructuralPruning.Prune(obj, Schema);

        Assert.Equal(["other", "spec.bogus"], pruned);
        Assert.Equal("""{"apiVersion":"x/v1","kind":"X","metadata":{"name":"a"},"spec":{"replicas":1}}""", obj.ToJsonString());
    }

    [Fact]
    public void Paths_name_array_items_by_index_and_map_values_by_key_after_a_dot()
    {
        var obj = Schemas.Object("""{"spec":{"items":[{"name":"a"},{"name":"b","x":1}],"labels":{"k":{"v":"1","y":2}}}}""");

        var pruned = StructuralPruning.Prune(obj, Schema);

        Assert.Equal(["spec.items[1].x", "spec.labels.k.y"], pruned);
    }

    [Fact]
    public void The_reported_paths_are_sorted_as_kube_sorts_them()
    {
        var obj = Schemas.Object("""{"spec":{"zeta":1,"alpha":2,"Beta":3}}""");

        Assert.Equal(["spec.Beta", "spec.alpha", "spec.zeta"], StructuralPruning.Prune(obj, Schema));
    }

    [Fact]
    public void The_root_keeps_apiVersion_kind_and_metadata_without_looking_into_metadata()
    {
        var obj = Schemas.Object("""{"apiVersion":"x/v1","kind":"X","metadata":{"name":"a","bogus":1}}""");

        Assert.Empty(StructuralPruning.Prune(obj, Schema));
        Assert.Equal("""{"apiVersion":"x/v1","kind":"X","metadata":{"name":"a","bogus":1}}""", obj.ToJsonString());
    }

    [Fact]
    public void Unknown_fields_stay_under_preserve_unknown_fields_but_known_ones_are_still_pruned()
    {
        var obj = Schemas.Object("""{"spec":{"free":{"anything":{"deep":1},"known":{"a":"x","b":"y"}}}}""");

        var pruned = StructuralPruning.Prune(obj, Schema);

        Assert.Equal(["spec.free.known.b"], pruned);
        Assert.Equal("""{"spec":{"free":{"anything":{"deep":1},"known":{"a":"x"}}}}""", obj.ToJsonString());
    }

    [Fact]
    public void An_embedded_resource_keeps_its_type_meta_and_prunes_its_metadata_to_object_meta()
    {
        var obj = Schemas.Object("""
            {"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"},"bogus":1,"creationTimestamp":null},
              "spec":{"image":"busybox","bogus":2},"extra":3}}}
            """);

        var pruned = StructuralPruning.Prune(obj, Schema);

        Assert.Equal(["spec.template.extra", "spec.template.spec.bogus", "spec.template.metadata.bogus"], pruned);
        Assert.Equal("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"}},"spec":{"image":"busybox"}}""",
            obj["spec"]!["template"]!.ToJsonString());
    }

    [Fact]
    public void Object_meta_is_pruned_at_any_depth_along_its_own_fields()
    {
        var metadata = Schemas.Object("""{"name":"a","ownerReferences":[{"name":"o","kind":"K","bogus":1}],"annotations":{"any":"thing"}}""");

        var pruned = StructuralPruning.PruneObjectMeta(metadata);

        Assert.Equal(["metadata.ownerReferences[0].bogus"], pruned);
        Assert.Equal("""{"name":"a","ownerReferences":[{"name":"o","kind":"K"}],"annotations":{"any":"thing"}}""", metadata.ToJsonString());
    }

    [Fact]
    public void Below_a_resource_root_apiVersion_kind_and_metadata_unknown_at_the_top_are_dropped_unreported()
    {
        var obj = Schemas.Object("""{"apiVersion":"v1","phase":"x"}""");

        var pruned = StructuralPruning.Prune(obj, Schema.Properties["status"], isResourceRoot: false);

        Assert.Empty(pruned);
        Assert.Equal("""{"phase":"x"}""", obj.ToJsonString());
    }

    [Fact]
    public void A_field_under_a_scalar_schema_is_dropped_with_everything_in_it()
    {
        var obj = Schemas.Object("""{"spec":{"replicas":{"a":{"b":1},"c":2}}}""");

        var pruned = StructuralPruning.Prune(obj, Schema);

        Assert.Equal(["spec.replicas.a", "spec.replicas.c"], pruned);
        Assert.Equal("""{"spec":{"replicas":{}}}""", obj.ToJsonString());
    }
}
