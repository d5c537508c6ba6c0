using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ObjectIndexTests
{
    private const string PodKey = "/registry/pods/default/web";

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(JsonNode.Parse(json)!.ToJsonString());

    private static JsonObject Parse(byte[] json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void The_cached_object_carries_its_revision_as_resourceVersion_after_the_other_metadata()
    {
        var cached = ObjectIndex.Build(PodKey, Bytes("""{"kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{}}"""), 3, 7);

        Assert.Equal(
            """{"kind":"Pod","metadata":{"name":"web","namespace":"default","resourceVersion":"7"},"spec":{}}""",
            Encoding.UTF8.GetString(cached.Json));
    }

    [Fact]
    public void A_stored_resourceVersion_is_replaced_in_place()
    {
        var cached = ObjectIndex.Build(PodKey, Bytes("""{"metadata":{"name":"web","resourceVersion":"2","uid":"u"}}"""), 1, 9);

        Assert.Equal("""{"metadata":{"name":"web","resourceVersion":"9","uid":"u"}}""", Encoding.UTF8.GetString(cached.Json));
    }

    [Fact]
    public void An_empty_metadata_gets_the_resourceVersion_as_its_only_member()
    {
        var cached = ObjectIndex.Build(PodKey, Bytes("""{"kind":"Pod","metadata":{},"spec":{}}"""), 1, 4);

        Assert.Equal("""{"kind":"Pod","metadata":{"resourceVersion":"4"},"spec":{}}""", Encoding.UTF8.GetString(cached.Json));
    }

    [Fact]
    public void An_object_without_metadata_gets_one_at_its_end()
    {
        Assert.Equal("""{"kind":"Pod","metadata":{"resourceVersion":"5"}}""", Encoding.UTF8.GetString(ObjectIndex.Build(PodKey, Bytes("""{"kind":"Pod"}"""), 1, 5).Json));
        Assert.Equal("""{"metadata":{"resourceVersion":"6"}}""", Encoding.UTF8.GetString(ObjectIndex.Build(PodKey, Bytes("{}"), 1, 6).Json));
    }

    [Fact]
    public void A_resourceVersion_of_another_type_or_a_nested_one_is_not_mistaken_for_the_objects()
    {
        var cached = ObjectIndex.Build(PodKey, Bytes("""
            {"spec":{"metadata":{"resourceVersion":"1"}},"metadata":{"annotations":{"resourceVersion":"x"},"resourceVersion":{"v":2}}}
            """), 1, 8);

        Assert.Equal(
            """{"spec":{"metadata":{"resourceVersion":"1"}},"metadata":{"annotations":{"resourceVersion":"x"},"resourceVersion":"8"}}""",
            Encoding.UTF8.GetString(cached.Json));
    }

    [Fact]
    public void Everything_but_the_resourceVersion_is_written_as_a_parsed_tree_would_write_it()
    {
        const string stored = """
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"web","namespace":"default","annotations":{"note":"<b>&amp;</b> caf\u00e9 \"quoted\" \\ \u2603"}},
             "spec":{"containers":[{"name":"c","args":["a+b","1e3"],"resources":{"limits":{"cpu":"500m"}}}],"hostNetwork":false},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True","lastProbeTime":null}]}}
            """;
        var expected = Parse(Bytes(stored));
        ((JsonObject)expected["metadata"]!)["resourceVersion"] = "12";

        var cached = ObjectIndex.Build(PodKey, Bytes(stored), 1, 12);

        Assert.Equal(expected.ToJsonString(), Encoding.UTF8.GetString(cached.Json));
    }

    [Fact]
    public void Labels_and_the_kinds_selectable_fields_are_extracted_with_go_zero_values_for_absent_ones()
    {
        var cached = ObjectIndex.Build(PodKey, Bytes("""
            {"kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web","tier":""}},
             "spec":{"nodeName":"n1","hostNetwork":true},"status":{"phase":"Running"}}
            """), 1, 2);

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "" }, cached.Labels);
        Assert.Equal("web", cached.Fields["metadata.name"]);
        Assert.Equal("default", cached.Fields["metadata.namespace"]);
        Assert.Equal("n1", cached.Fields["spec.nodeName"]);
        Assert.Equal("true", cached.Fields["spec.hostNetwork"]);
        Assert.Equal("Running", cached.Fields["status.phase"]);
        Assert.Equal("", cached.Fields["status.podIP"]);
        Assert.Equal("", cached.Fields["spec.restartPolicy"]);
    }

    [Fact]
    public void An_events_source_field_selects_its_component()
    {
        var cached = ObjectIndex.Build("/registry/events/default/web.1", Bytes("""
            {"kind":"Event","metadata":{"name":"web.1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web"},
             "reason":"Scheduled","source":{"component":"default-scheduler"}}
            """), 1, 2);

        Assert.Equal("default-scheduler", cached.Fields["source"]);
        Assert.Equal("Pod", cached.Fields["involvedObject.kind"]);
        Assert.Equal("", cached.Fields["involvedObject.uid"]);
    }

    [Fact]
    public void A_cluster_scoped_object_selects_an_empty_namespace()
    {
        var cached = ObjectIndex.Build("/registry/nodes/n1", Bytes("""{"kind":"Node","metadata":{"name":"n1"},"spec":{"unschedulable":false}}"""), 1, 2);

        Assert.Equal("", cached.Fields["metadata.namespace"]);
        Assert.Equal("false", cached.Fields["spec.unschedulable"]);
    }

    [Fact]
    public void A_version_with_the_same_labels_and_fields_shares_them_with_the_one_before()
    {
        const string pod = """{"kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}""";
        var before = ObjectIndex.Build(PodKey, Bytes(pod), 1, 2);

        var after = ObjectIndex.Build(PodKey, Bytes(pod), 1, 3, before);

        Assert.Same(before.Labels, after.Labels);
        Assert.Same(before.Fields, after.Fields);
    }

    [Fact]
    public void A_changed_field_is_read_anew_while_the_unchanged_ones_keep_their_strings()
    {
        var before = ObjectIndex.Build(PodKey, Bytes("""{"kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{"nodeName":"n1"},"status":{"phase":"Pending"}}"""), 1, 2);

        var after = ObjectIndex.Build(PodKey, Bytes("""{"kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}"""), 1, 3, before);

        Assert.Equal("Running", after.Fields["status.phase"]);
        Assert.Equal("Pending", before.Fields["status.phase"]);
        Assert.Same(before.Fields["spec.nodeName"], after.Fields["spec.nodeName"]);
    }

    [Theory]
    [InlineData("""{"app":"web","tier":"front"}""")]
    [InlineData("""{"app":"api"}""")]
    [InlineData("""{"tier":"web"}""")]
    [InlineData("""{}""")]
    public void Changed_labels_are_read_anew(string labels)
    {
        var before = ObjectIndex.Build(PodKey, Bytes("""{"kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}}}"""), 1, 2);

        var after = ObjectIndex.Build(PodKey, Bytes($$$"""{"kind":"Pod","metadata":{"name":"web","labels":{{{labels}}}}}"""), 1, 3, before);

        Assert.Equal(JsonNode.Parse(labels)!.AsObject().ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()), after.Labels);
        Assert.Equal("web", before.Labels["app"]);
    }
}
