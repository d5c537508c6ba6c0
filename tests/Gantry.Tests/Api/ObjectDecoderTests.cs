using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class ObjectDecoderTests
{
    private static readonly ResourceType Deployments = ResourceCatalog.Get("apps", "deployments");
    private static readonly ResourceType ConfigMaps = ResourceCatalog.Get("", "configmaps");

    private static JsonObject Deployment() => JsonNode.Parse("""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": { "name": "web", "namespace": "default", "labels": { "any.example.com/key": "v" } },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "web" } },
            "template": {
              "metadata": { "labels": { "app": "web" } },
              "spec": { "containers": [ { "name": "web", "image": "nginx:1.27" } ] }
            }
          }
        }
        """)!.AsObject();

    private static ApiException Strict(ResourceType type, JsonObject input) =>
        Assert.Throws<ApiException>(() => ObjectDecoder.Decode(type, input, FieldValidation.Strict, []));

    [Fact]
    public void Decode_of_a_known_object_returns_the_typed_model()
    {
        var typed = Assert.IsType<V1Deployment>(ObjectDecoder.Decode(Deployments, Deployment(), FieldValidation.Strict, []));

        Assert.Equal("web", typed.Metadata.Name);
        Assert.Equal(2, typed.Spec.Replicas);
    }

    [Fact]
    public void Strict_decoding_rejects_an_unknown_field_naming_its_path()
    {
        var input = Deployment();
        input["spec"]!["bogus"] = 1;

        var error = Strict(Deployments, input);

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.bogus\"",
            error.Message);
    }

    [Fact]
    public void Strict_decoding_names_an_unknown_field_inside_a_list_by_its_index()
    {
        var input = Deployment();
        input["spec"]!["template"]!["spec"]!["containers"]![0]!["bogus"] = "x";

        var error = Strict(Deployments, input);

        Assert.EndsWith("strict decoding error: unknown field \"spec.template.spec.containers[0].bogus\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_decoding_lists_every_unknown_field_in_document_order()
    {
        var input = Deployment();
        input["spec"]!["other"] = 2;
        input["bogus"] = 1;

        var error = Strict(Deployments, input);

        Assert.EndsWith("strict decoding error: unknown field \"spec.other\", unknown field \"bogus\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_decoding_names_unknown_fields_with_escaped_or_long_names_as_they_read()
    {
        var longName = new string('x', 300);
        var input = JsonNode.Parse($$"""
            { "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web" },
              "spec": { "bo\u0067us": 1, "{{longName}}": 2, "repl\u0069cas": 3 } }
            """)!.AsObject();

        var error = Strict(Deployments, input);

        Assert.EndsWith($"strict decoding error: unknown field \"spec.bogus\", unknown field \"spec.{longName}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_of_maps_are_not_unknown_fields()
    {
        var input = JsonNode.Parse("""
            { "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "x", "annotations": { "a/b": "c" } }, "data": { "anything": "goes" } }
            """)!.AsObject();

        var typed = Assert.IsType<V1ConfigMap>(ObjectDecoder.Decode(ConfigMaps, input, FieldValidation.Strict, []));

        Assert.Equal("goes", typed.Data["anything"]);
    }

    [Fact]
    public void Warn_decoding_keeps_the_known_fields_and_reports_each_unknown_one()
    {
        var input = Deployment();
        input["spec"]!["bogus"] = 1;
        var warnings = new List<string>();

        var typed = ObjectDecoder.Decode(Deployments, input, FieldValidation.Warn, warnings);

        Assert.Equal(["unknown field \"spec.bogus\""], warnings);
        Assert.Null(ObjectDecoder.ToNode(typed)["spec"]!["bogus"]);
    }

    [Fact]
    public void Ignore_decoding_drops_unknown_fields_silently()
    {
        var input = Deployment();
        input["spec"]!["bogus"] = 1;
        var warnings = new List<string>();

        var typed = ObjectDecoder.Decode(Deployments, input, FieldValidation.Ignore, warnings);

        Assert.Empty(warnings);
        Assert.Null(ObjectDecoder.ToNode(typed)["spec"]!["bogus"]);
    }

    [Fact]
    public void A_known_field_of_the_wrong_type_is_a_BadRequest()
    {
        var input = Deployment();
        input["spec"]!["replicas"] = "two";

        var error = Assert.Throws<ApiException>(() => ObjectDecoder.Decode(Deployments, input, FieldValidation.Ignore, []));

        Assert.Equal(400, error.Code);
        Assert.StartsWith("Deployment in version \"v1\" cannot be handled as a Deployment: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_round_trip_keeps_timestamps_in_seconds_precision()
    {
        var input = Deployment();
        input["metadata"]!["creationTimestamp"] = "2024-05-01T12:00:00Z";

        var node = ObjectDecoder.ToNode(ObjectDecoder.Decode(Deployments, input, FieldValidation.Strict, []));

        Assert.Equal("2024-05-01T12:00:00Z", node["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void A_round_trip_keeps_int_or_string_values_as_they_were_sent()
    {
        var input = Deployment();
        input["spec"]!["strategy"] = JsonNode.Parse("""{ "type": "RollingUpdate", "rollingUpdate": { "maxSurge": 1, "maxUnavailable": "25%" } }""");

        var node = ObjectDecoder.ToNode(ObjectDecoder.Decode(Deployments, input, FieldValidation.Strict, []));

        Assert.True(JsonNode.DeepEquals(input["spec"]!["strategy"], node["spec"]!["strategy"]));
    }

    [Fact]
    public void Strict_decoding_accepts_quantities_maps_of_them_and_int_or_string_values()
    {
        var pod = JsonNode.Parse("""
            {
              "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "p" },
              "spec": {
                "containers": [ {
                  "name": "c", "image": "busybox",
                  "resources": { "limits": { "cpu": "500m", "memory": "64Mi" } },
                  "livenessProbe": { "httpGet": { "port": "http", "path": "/" } }
                } ]
              }
            }
            """)!.AsObject();

        var typed = Assert.IsType<V1Pod>(ObjectDecoder.Decode(ResourceCatalog.Get("", "pods"), pod, FieldValidation.Strict, []));

        Assert.Equal("500m", typed.Spec.Containers[0].Resources.Limits["cpu"].ToString());
    }

    [Fact]
    public void Every_kind_with_a_status_subresource_takes_a_status_of_its_own()
    {
        foreach (var type in ResourceCatalog.Types.Where(t => t.HasSubresource("status")))
        {
            var stored = ObjectDecoder.DecodeStored(type, """{"metadata":{"name":"x"}}"""u8.ToArray());

            var written = ObjectDecoder.WithStatus(type, stored, new JsonObject(), FieldValidation.Strict, []);

            Assert.Same(stored.Metadata, written.Metadata);
            Assert.IsType<JsonObject>(ObjectDecoder.StatusToNode(written));
        }
    }

    [Fact]
    public void A_status_write_decodes_the_new_status_and_shares_the_rest()
    {
        var stored = (V1Deployment)ObjectDecoder.DecodeStored(Deployments, System.Text.Encoding.UTF8.GetBytes(Deployment().ToJsonString()));

        var written = (V1Deployment)ObjectDecoder.WithStatus(Deployments, stored, new JsonObject { ["replicas"] = 2 }, FieldValidation.Strict, []);

        Assert.Equal(2, written.Status.Replicas);
        Assert.Null(stored.Status);
        Assert.Same(stored.Spec, written.Spec);
    }
}
