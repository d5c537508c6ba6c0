using System.Text.Json.Nodes;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using Gantry.Server.Registry.CustomResources.Conversion;
using Gantry.Tests.Admission.Webhooks;
using Gantry.Tests.Registry;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources.Conversion;

/// <summary>
/// A definition's conversion webhook called as kube's webhook converter calls it, against a real HTTPS webhook: one review
/// per conversion, only the objects not already in the version wanted, kube's checks of the answer and its errors.
/// </summary>
public sealed class WebhookConversionTests : IAsyncLifetime
{
    private const string Stored = "conv.example.com/v1";
    private const string Served = "conv.example.com/v2";

    private RegistryTestContext _context = null!;
    private TestWebhookServer _server = null!;
    private WebhookClient _client = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _server = await TestWebhookServer.StartAsync();
        _client = new WebhookClient(new ServiceEndpoints(_context.Cache));
        _server.Answer = Convert(_ => { });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _context.DisposeAsync();
    }

    [Fact]
    public async Task Objects_already_in_the_version_wanted_are_not_sent()
    {
        var objects = new[] { Widget("a", Served), Widget("b", Served) };

        var served = await Conversion().FromStorageAsync(objects, CancellationToken.None);

        Assert.Equal(objects, served);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_lists_objects_to_convert_go_in_one_review_and_keep_their_places()
    {
        _server.Answer = Convert(o => o["spec"]!["converted"] = true);

        var served = await Conversion().FromStorageAsync([Widget("a", Stored), Widget("b", Served), Widget("c", Stored)], CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(Served, (string?)request["desiredAPIVersion"]);
        Assert.Equal(["a", "c"], request["objects"]!.AsArray().Select(o => (string?)o!["metadata"]!["name"]));
        Assert.Equal(["a", "b", "c"], served.Select(o => (string?)o["metadata"]!["name"]));
        Assert.Equal([true, null, true], served.Select(o => (bool?)o["spec"]!["converted"]));
        Assert.All(served, o => Assert.Equal(Served, (string?)o["apiVersion"]));
    }

    [Fact]
    public async Task The_review_is_of_the_first_review_version_gantry_speaks()
    {
        await Conversion(["v2", "v1beta1", "v1"]).ToStorageAsync(Widget("a", Served), CancellationToken.None);

        Assert.Equal("apiextensions.k8s.io/v1beta1", (string?)Assert.Single(_server.Reviews)["apiVersion"]);
    }

    [Fact]
    public async Task A_body_that_names_no_version_or_kind_is_sent_as_one_of_the_version_written()
    {
        var body = Widget("a", Served);
        body.Remove("apiVersion");
        body.Remove("kind");

        var stored = await Conversion().ToStorageAsync(body, CancellationToken.None);

        var sent = Assert.Single(Assert.Single(_server.Requests)["objects"]!.AsArray())!;
        Assert.Equal((Served, "Widget"), ((string?)sent["apiVersion"], (string?)sent["kind"]));
        Assert.Equal(Stored, (string?)stored["apiVersion"]);
    }

    [Fact]
    public async Task A_failure_answered_fails_a_read_with_the_webhooks_message_and_no_reason()
    {
        _server.Answer = request => Review(request, new JsonObject { ["status"] = "Failure", ["message"] = "cannot convert a b" }, []);

        var error = await Failure(Widget("a", Stored));

        Assert.Equal((500, ""), (error.Code, error.Reason));
        Assert.Equal("conversion webhook for conv.example.com/v1, Kind=Widget failed: cannot convert a b", error.Message);
    }

    [Fact]
    public async Task A_failure_answered_fails_a_write_as_an_internal_error()
    {
        _server.Answer = request => Review(request, new JsonObject { ["status"] = "Failure", ["message"] = "cannot convert a b" }, []);

        var error = await Assert.ThrowsAsync<ApiException>(async () => await Conversion().ToStorageAsync(Widget("a", Served), CancellationToken.None));

        Assert.Equal((500, "InternalError"), (error.Code, error.Reason));
        Assert.Equal("Internal error occurred: conversion webhook for conv.example.com/v2, Kind=Widget failed: cannot convert a b", error.Message);
    }

    [Fact]
    public async Task A_failure_without_a_message_names_the_status()
    {
        _server.Answer = request => Review(request, new JsonObject { ["status"] = "Failure" }, []);

        Assert.EndsWith("failed: response.result.status was 'Failure', not 'Success'", (await Failure(Widget("a", Stored))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_v1_answer_for_another_uid_is_refused()
    {
        _server.Answer = request => Review(new JsonObject { ["uid"] = "other" }, Success, [Converted(request, 0, _ => { })]);

        var error = await Failure(Widget("a", Stored));

        Assert.EndsWith($"failed: expected response.uid=\"{_server.Requests.Single()["uid"]}\", got \"other\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_of_another_kind_is_refused()
    {
        _server.Answer = TestWebhookServer.Allow;

        Assert.EndsWith(
            "failed: expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got admission.k8s.io/v1, Kind=AdmissionReview",
            (await Failure(Widget("a", Stored))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fewer_objects_answered_than_sent_is_refused()
    {
        _server.Answer = request => Review(request, Success, []);

        Assert.EndsWith("conversion webhook for conv.example.com/v1, Kind=Widget returned 0 objects, expected 2",
            (await Failure(Widget("a", Stored), Widget("b", Stored))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_answered_in_another_version_is_refused()
    {
        _server.Answer = Convert(o => o["apiVersion"] = "conv.example.com/v9");

        Assert.EndsWith(
            "conversion webhook for conv.example.com/v1, Kind=Widget returned invalid object at index 0: invalid groupVersion (expected conv.example.com/v2, received conv.example.com/v9)",
            (await Failure(Widget("a", Stored))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renamed_object_in_a_list_is_refused_at_its_place_counted_as_kube_counts_it()
    {
        _server.Answer = Convert(o => o["metadata"]!["name"] = o["metadata"]!["name"]!.GetValue<string>() == "b" ? "z" : "b");

        Assert.EndsWith(
            "conversion webhook for conv.example.com/v1, Kind=Widget returned invalid converted object at index 1: must have the same name: a != b",
            (await Failure(Widget("a", Stored), Widget("b", Stored))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_webhooks_labels_and_annotations_are_kept_and_the_rest_of_its_metadata_is_not()
    {
        _server.Answer = Convert(o =>
        {
            o["metadata"]!["labels"] = new JsonObject { ["converted"] = "yes" };
            o["metadata"]!["annotations"] = new JsonObject { ["note"] = "from the webhook" };
            o["metadata"]!["generation"] = 99;
            o["metadata"]!["finalizers"] = new JsonArray("example.com/keep");
        });

        var served = (await Conversion().FromStorageAsync([Widget("a", Stored)], CancellationToken.None)).Single();

        var metadata = served["metadata"]!;
        Assert.Equal("yes", (string?)metadata["labels"]!["converted"]);
        Assert.Null(metadata["labels"]!["app"]);
        Assert.Equal("from the webhook", (string?)metadata["annotations"]!["note"]);
        Assert.Equal(1, (int?)metadata["generation"]);
        Assert.Null(metadata["finalizers"]);
        Assert.Equal("uid-a", (string?)metadata["uid"]);
    }

    [Fact]
    public async Task An_invalid_label_from_the_webhook_is_refused()
    {
        _server.Answer = Convert(o => o["metadata"]!["labels"] = new JsonObject { ["bad key!"] = "x" });

        Assert.Contains(
            "conversion webhook for conv.example.com/v1, Kind=Widget returned invalid metadata: metadata.labels: Invalid value: \"bad key!\"",
            (await Failure(Widget("a", Stored))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_webhook_names_the_url_with_kubes_thirty_second_timeout()
    {
        var port = _server.Port;
        await _server.DisposeAsync();
        _server = await TestWebhookServer.StartAsync();

        var error = await Assert.ThrowsAsync<ApiException>(async () =>
            await Conversion(url: $"https://127.0.0.1:{port}/convert").FromStorageAsync([Widget("a", Stored)], CancellationToken.None));

        Assert.StartsWith(
            $"conversion webhook for conv.example.com/v1, Kind=Widget failed: Post \"https://127.0.0.1:{port}/convert?timeout=30s\": ",
            error.Message, StringComparison.Ordinal);
    }

    private WebhookConversion Conversion(string[]? reviewVersions = null, string? url = null, Apiextensionsv1ServiceReference? service = null)
    {
        var definition = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "widgets.conv.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "conv.example.com",
                Names = new V1CustomResourceDefinitionNames { Kind = "Widget", Plural = "widgets" },
                Scope = "Namespaced",
                Versions =
                [
                    new V1CustomResourceDefinitionVersion { Name = "v1", Served = true, Storage = true },
                    new V1CustomResourceDefinitionVersion { Name = "v2", Served = true, Storage = false },
                ],
                Conversion = new V1CustomResourceConversion
                {
                    Strategy = CustomResourceConversion.WebhookStrategy,
                    Webhook = new V1WebhookConversion
                    {
                        ClientConfig = new Apiextensionsv1WebhookClientConfig
                        {
                            Url = service is null ? url ?? _server.Url("/convert") : null, Service = service, CaBundle = _server.CaBundle,
                        },
                        ConversionReviewVersions = reviewVersions ?? ["v1"],
                    },
                },
            },
        };
        return new WebhookConversion(definition, Stored, Served, _client);
    }

    [Fact]
    public async Task A_service_without_endpoints_is_named_in_the_error_as_kube_names_it()
    {
        var service = new Apiextensionsv1ServiceReference { NamespaceProperty = "default", Name = "missing", Path = "/convert" };

        var error = await Assert.ThrowsAsync<ApiException>(async () =>
            await Conversion(service: service).FromStorageAsync([Widget("a", Stored)], CancellationToken.None));

        Assert.Equal(
            "conversion webhook for conv.example.com/v1, Kind=Widget failed: " +
            "Post \"https://missing.default.svc:443/convert?timeout=30s\": service \"missing\" not found",
            error.Message);
    }

    private async Task<ApiException> Failure(params JsonObject[] objects) =>
        await Assert.ThrowsAsync<ApiException>(async () => await Conversion().FromStorageAsync(objects, CancellationToken.None));

    private static JsonObject Widget(string name, string apiVersion) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject
        {
            ["name"] = name, ["namespace"] = "default", ["uid"] = "uid-" + name, ["generation"] = 1, ["labels"] = new JsonObject { ["app"] = "w" },
        },
        ["spec"] = new JsonObject(),
    };

    private static readonly JsonObject Success = new() { ["status"] = "Success" };

    /// <summary>A webhook that converts each object to the version asked for, changed by <paramref name="change"/>.</summary>
    private static Func<JsonObject, JsonObject> Convert(Action<JsonObject> change) =>
        request => Review(request, Success, [.. Enumerable.Range(0, request["objects"]!.AsArray().Count).Select(i => Converted(request, i, change))]);

    private static JsonObject Converted(JsonObject request, int index, Action<JsonObject> change)
    {
        var converted = request["objects"]![index]!.DeepClone().AsObject();
        converted["apiVersion"] = request["desiredAPIVersion"]!.DeepClone();
        change(converted);
        return converted;
    }

    private static JsonObject Review(JsonObject request, JsonObject result, JsonNode?[] converted) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "ConversionReview",
        ["response"] = new JsonObject { ["uid"] = request["uid"]!.DeepClone(), ["result"] = result.DeepClone(), ["convertedObjects"] = new JsonArray(converted) },
    };
}
