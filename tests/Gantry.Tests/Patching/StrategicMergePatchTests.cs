using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private static readonly PatchSchema Pod = PatchSchema.ForKind("v1", "Pod");
    private static readonly PatchSchema Deployment = PatchSchema.ForKind("apps/v1", "Deployment");

    private static JsonNode Apply(string target, string patch, PatchSchema schema) =>
        StrategicMergePatch.Apply(Json.Parse(target), Json.Parse(patch), schema);

    [Fact]
    public void Containers_merge_by_name()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"app","image":"app:1"},{"name":"sidecar","image":"proxy:1"}]}}""",
            """{"spec":{"containers":[{"name":"sidecar","image":"proxy:2"}]}}""",
            Pod);

        Json.Equal(
            """{"spec":{"containers":[{"name":"app","image":"app:1"},{"name":"sidecar","image":"proxy:2"}]}}""",
            result);
    }

    [Fact]
    public void A_daemonset_template_merges_its_containers_by_name_as_kubectl_set_image_needs()
    {
        var result = Apply(
            """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"busybox","command":["sleep","3600"]}]}}}}""",
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"main"}],"containers":[{"name":"main","image":"busybox:1.36"}]}}}}""",
            PatchSchema.ForKind("apps/v1", "DaemonSet"));

        Json.Equal("""{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"busybox:1.36","command":["sleep","3600"]}]}}}}""", result);
    }

    [Fact]
    public void A_cronjobs_job_template_merges_its_containers_by_name_as_kubectl_set_image_needs()
    {
        var result = Apply(
            """{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"busybox","command":["date"]}]}}}}}}""",
            """{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"main"}],"containers":[{"name":"main","image":"busybox:1.36"}]}}}}}}""",
            PatchSchema.ForKind("batch/v1", "CronJob"));

        Json.Equal("""{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"busybox:1.36","command":["date"]}]}}}}}}""", result);
    }

    [Fact]
    public void Env_merges_by_name_inside_a_merged_container()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}""",
            """{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"3"}]}]}}""",
            Pod);

        Json.Equal(
            """{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]}]}}""",
            result);
    }

    [Fact]
    public void New_elements_come_before_the_server_only_ones_as_in_apimachinery()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"app"}]}}""",
            """{"spec":{"containers":[{"name":"sidecar"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"containers":[{"name":"sidecar"},{"name":"app"}]}}""", result);
    }

    [Fact]
    public void Null_deletes_a_field()
    {
        var result = Apply(
            """{"metadata":{"labels":{"app":"web","tier":"front"}},"spec":{"nodeName":"n1"}}""",
            """{"metadata":{"labels":{"tier":null}},"spec":{"nodeName":null}}""",
            Pod);

        Json.Equal("""{"metadata":{"labels":{"app":"web"}},"spec":{}}""", result);
    }

    [Fact]
    public void Null_inside_a_merged_element_deletes_that_field_of_the_element()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"app","image":"app:1","workingDir":"/srv"}]}}""",
            """{"spec":{"containers":[{"name":"app","workingDir":null}]}}""",
            Pod);

        Json.Equal("""{"spec":{"containers":[{"name":"app","image":"app:1"}]}}""", result);
    }

    [Fact]
    public void SetElementOrder_puts_the_merged_list_in_the_given_order_with_others_after()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"a:2"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"containers":[{"name":"b"},{"name":"a","image":"a:2"},{"name":"c"}]}}""", result);
    }

    [Fact]
    public void SetElementOrder_alone_reorders_an_unpatched_list()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"containers":[{"name":"b"},{"name":"a"}]}}""", result);
    }

    [Fact]
    public void Patch_delete_on_a_list_element_removes_the_element_with_that_key()
    {
        var result = Apply(
            """{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"config","configMap":{"name":"c"}}]}}""",
            """{"spec":{"volumes":[{"name":"data","$patch":"delete"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"volumes":[{"name":"config","configMap":{"name":"c"}}]}}""", result);
    }

    [Fact]
    public void Patch_replace_on_a_map_replaces_its_whole_content()
    {
        var result = Apply(
            """{"metadata":{"labels":{"app":"web","tier":"front"}}}""",
            """{"metadata":{"labels":{"$patch":"replace","owner":"me"}}}""",
            Pod);

        Json.Equal("""{"metadata":{"labels":{"owner":"me"}}}""", result);
    }

    [Fact]
    public void Patch_delete_on_a_map_removes_the_map()
    {
        var result = Apply(
            """{"spec":{"securityContext":{"runAsUser":1000},"nodeName":"n1"}}""",
            """{"spec":{"securityContext":{"$patch":"delete"}}}""",
            Pod);

        Json.Equal("""{"spec":{"nodeName":"n1"}}""", result);
    }

    [Fact]
    public void Patch_merge_on_a_map_merges_as_usual()
    {
        var result = Apply(
            """{"metadata":{"labels":{"app":"web"}}}""",
            """{"metadata":{"labels":{"$patch":"merge","tier":"front"}}}""",
            Pod);

        Json.Equal("""{"metadata":{"labels":{"app":"web","tier":"front"}}}""", result);
    }

    [Fact]
    public void Patch_replace_element_replaces_a_merged_list_with_the_patch_elements()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b"}]}}""",
            """{"spec":{"containers":[{"name":"c"},{"$patch":"replace"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"containers":[{"name":"c"}]}}""", result);
    }

    [Fact]
    public void Lists_without_a_merge_strategy_are_replaced()
    {
        var result = Apply(
            """{"spec":{"tolerations":[{"key":"a","operator":"Exists"}]}}""",
            """{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}""", result);
    }

    [Fact]
    public void An_unknown_kind_replaces_lists_and_merges_maps()
    {
        var schema = PatchSchema.ForKind("example.com/v1", "Widget");

        var result = Apply(
            """{"spec":{"containers":[{"name":"a"}],"size":1,"color":"red"}}""",
            """{"spec":{"containers":[{"name":"b"}],"size":2}}""",
            schema);

        Json.Equal("""{"spec":{"containers":[{"name":"b"}],"size":2,"color":"red"}}""", result);
    }

    [Fact]
    public void Scalar_merge_lists_are_unioned()
    {
        var result = Apply(
            """{"metadata":{"finalizers":["a","b"]}}""",
            """{"metadata":{"finalizers":["b","c"]}}""",
            Pod);

        Json.Equal("""{"metadata":{"finalizers":["a","b","c"]}}""", result);
    }

    [Fact]
    public void DeleteFromPrimitiveList_removes_the_listed_values()
    {
        var result = Apply(
            """{"metadata":{"finalizers":["a","b","c"]}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a","c"]}}""",
            Pod);

        Json.Equal("""{"metadata":{"finalizers":["b"]}}""", result);
    }

    [Fact]
    public void RetainKeys_drops_the_fields_it_does_not_list()
    {
        var result = Apply(
            """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""",
            """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""",
            Deployment);

        Json.Equal("""{"spec":{"strategy":{"type":"Recreate"}}}""", result);
    }

    [Fact]
    public void RetainKeys_rejects_a_patch_that_sets_an_unlisted_field()
    {
        var error = Assert.Throws<PatchException>(() => Apply(
            """{"spec":{"strategy":{"type":"RollingUpdate"}}}""",
            """{"spec":{"strategy":{"$retainKeys":["type"],"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""",
            Deployment));

        Assert.Equal("invalid patch format of retainKeys", error.Message);
    }

    [Fact]
    public void Service_ports_merge_by_port()
    {
        var result = Apply(
            """{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]}}""",
            """{"spec":{"ports":[{"port":80,"targetPort":9090}]}}""",
            PatchSchema.ForKind("v1", "Service"));

        Json.Equal("""{"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443,"targetPort":8443}]}}""", result);
    }

    [Fact]
    public void Kubectl_set_image_changes_only_the_named_container_of_a_deployment()
    {
        var deployment = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},
               "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}
            """;

        var result = Apply(
            deployment,
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}""",
            Deployment);

        Json.Equal(
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},
               "spec":{"containers":[{"name":"nginx","image":"nginx:1.28","ports":[{"containerPort":80}]}]}}}}
            """,
            result);
    }

    [Fact]
    public void Directives_never_leak_into_fields_the_target_lacks()
    {
        var result = Apply(
            """{"spec":{}}""",
            """{"spec":{"securityContext":{"$patch":"replace","runAsUser":1},"containers":[{"name":"a","env":[{"name":"X","$patch":"delete"}]}],"$setElementOrder/volumes":[{"name":"v"}]}}""",
            Pod);

        Json.Equal("""{"spec":{"securityContext":{"runAsUser":1},"containers":[{"name":"a","env":[]}]}}""", result);
    }

    [Fact]
    public void A_merged_element_without_its_merge_key_fails()
    {
        var error = Assert.Throws<PatchException>(() => Apply(
            """{"spec":{"containers":[{"name":"a"}]}}""",
            """{"spec":{"containers":[{"image":"x"}]}}""",
            Pod));

        Assert.Equal("""map: {"image":"x"} does not contain declared merge key: name""", error.Message);
    }

    [Fact]
    public void Leaves_the_target_unchanged()
    {
        var target = Json.Parse("""{"metadata":{"labels":{"app":"web"}}}""");

        StrategicMergePatch.Apply(target, Json.Parse("""{"metadata":{"labels":{"app":null}}}"""), Pod);

        Json.Equal("""{"metadata":{"labels":{"app":"web"}}}""", target);
    }
}
