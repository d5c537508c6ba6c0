using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Gantry.E2E.Webhooks;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// CustomResourceDefinition conversion webhooks (<c>spec.conversion.strategy: Webhook</c>) through the real kubectl, with
/// kube's semantics: objects are stored in the storage version and every read or write in another served version goes
/// through the webhook, in ConversionReviews; what a failing or misbehaving webhook does to the request; which of the
/// converted metadata the server keeps. The webhook is a <see cref="TestWebhookServer"/> in the test process that really
/// converts a Widget between two layouts: v1 (storage) <c>spec: {host, port, replicas}</c> and v2
/// <c>spec: {hostPort: "host:port", size}</c>, each version with a scale subresource at its own replicas path.
/// Definitions are cluster-wide, so each test defines its own group (<c>conv-TAG.e2e.example.com</c>) and deletes it when
/// it ends (<see cref="ConversionWebhookScope"/>). Reads name the version as <c>widgets.VERSION.GROUP</c>: v2 is the
/// preferred version (kube sorts v2 before v1), so a bare <c>widgets.GROUP</c> would read in v2 as well.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed partial class ConversionWebhookTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Webhook = "convert";

    /// <summary>The message of the webhook's failures (<see cref="Refuse"/>).</summary>
    private const string Refusal = "widgets cannot be converted today";

    [Fact]
    public async Task A_definition_with_a_conversion_webhook_is_established_with_its_webhook()
    {
        await using var widgets = await DefineAsync("established", ConvertWidgets);

        var crd = await GetJson("crd", widgets.Definition);

        Check.Equal("Webhook", Json.Text(crd, "spec.conversion.strategy"), "spec.conversion.strategy");
        Check.Equal(widgets.Server.Url(Webhook), Json.Text(crd, "spec.conversion.webhook.clientConfig.url"), "spec.conversion.webhook.clientConfig.url");
        Check.Equal("v1", string.Join(',', Json.Items(crd, "spec.conversion.webhook.conversionReviewVersions").Select(v => v.GetString())),
            "spec.conversion.webhook.conversionReviewVersions");
        Check.Equal("True", Json.Items(crd, "status.conditions").Where(c => Json.Text(c, "type") == "Established").Select(c => Json.Text(c, "status")).FirstOrDefault(),
            "the Established condition");
    }

    [Fact]
    public async Task A_list_in_another_version_with_no_objects_to_convert_calls_no_webhook()
    {
        await using var widgets = await DefineAsync("empty", ConvertWidgets);

        var listed = await Ok("get", Widgets(widgets, "v2"), "-n", widgets.Namespace);

        Check.StderrContains(listed, "No resources found");
        Assert.True(widgets.Server.Reviews(Webhook).Count == 0, "Expected no ConversionReview for an empty list.\n" + widgets.Server.Describe());
    }

    [Fact]
    public async Task An_object_stored_in_v1_reads_as_v2_converted_by_the_webhook_from_v1()
    {
        await using var widgets = await DefineAsync("read-v2", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));
        var uid = await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/shop", "{.metadata.uid}");

        var live = await GetJson(Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace);

        Check.Equal($"{widgets.Group}/v2 Widget shop.example:8080", $"{Json.Text(live, "apiVersion")} {Json.Text(live, "kind")} {Json.Text(live, "spec.hostPort")}",
            "apiVersion, kind and spec.hostPort read as v2");
        Check.Equal<string?>(null, Json.Text(live, "spec.host"), "spec.host read as v2");
        Check.Equal($"shop {widgets.Namespace} {uid}", $"{Json.Text(live, "metadata.name")} {Json.Text(live, "metadata.namespace")} {Json.Text(live, "metadata.uid")}",
            "name, namespace and uid read as v2");
        var review = FirstReview(widgets, "v2", "shop");
        Check.Equal("apiextensions.k8s.io/v1 ConversionReview", $"{Json.Text(review, "apiVersion")} {Json.Text(review, "kind")}", "the review's apiVersion and kind");
        Assert.False(string.IsNullOrEmpty(Json.Text(review, "request.uid")), "Expected the review's request to have a uid:\n" + review);
        Check.Equal(1, Json.Items(review, "request.objects").Count, "the objects in the review of one get");
        var sent = Json.At(review, "request.objects[0]");
        Check.Equal($"{widgets.Group}/v1 Widget shop.example 8080 {uid}",
            $"{Json.Text(sent, "apiVersion")} {Json.Text(sent, "kind")} {Json.Text(sent, "spec.host")} {Json.Text(sent, "spec.port")} {Json.Text(sent, "metadata.uid")}",
            "the object sent to the webhook (apiVersion, kind, spec.host, spec.port, uid)");
    }

    [Fact]
    public async Task An_object_created_in_v2_is_converted_to_v1_and_reads_back_in_v1()
    {
        await using var widgets = await DefineAsync("create-v2", ConvertWidgets);

        var created = await CreateObjectAsync(widgets.Namespace, WidgetV2(widgets.Group, "db", "db.internal:5432"));

        Check.StdoutContains(created, $"widget.{widgets.Group}/db created");
        var stored = await GetJson(Widgets(widgets, "v1"), "db", "-n", widgets.Namespace);
        Check.Equal($"{widgets.Group}/v1 db.internal 5432", $"{Json.Text(stored, "apiVersion")} {Json.Text(stored, "spec.host")} {Json.Text(stored, "spec.port")}",
            "apiVersion, spec.host and spec.port read as v1");
        Check.Equal<string?>(null, Json.Text(stored, "spec.hostPort"), "spec.hostPort read as v1");
        var sent = Json.At(FirstReview(widgets, "v1", "db"), "request.objects[0]");
        Check.Equal($"{widgets.Group}/v2 db.internal:5432", $"{Json.Text(sent, "apiVersion")} {Json.Text(sent, "spec.hostPort")}",
            "the object of the create sent to the webhook (apiVersion, spec.hostPort)");
    }

    [Fact]
    public async Task A_list_in_v2_sends_all_its_objects_to_the_webhook_in_one_review()
    {
        await using var widgets = await DefineAsync("list", ConvertWidgets);
        foreach (var (name, port) in new[] { ("alpha", 1), ("beta", 2), ("gamma", 3) })
        {
            await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, name, name + ".example", port));
        }

        var list = await GetJson(Widgets(widgets, "v2"), "-n", widgets.Namespace);

        Assert.Equal(
            [$"alpha {widgets.Group}/v2 alpha.example:1", $"beta {widgets.Group}/v2 beta.example:2", $"gamma {widgets.Group}/v2 gamma.example:3"],
            Json.Items(list, "items").Select(i => $"{Json.Text(i, "metadata.name")} {Json.Text(i, "apiVersion")} {Json.Text(i, "spec.hostPort")}"));
        // Background readers may convert objects one at a time as well; the list's own review holds all three.
        Assert.True(
            ReviewsFor(widgets, "v2", "alpha").Any(r => Json.Items(r, "request.objects").Select(o => Json.Text(o, "metadata.name")).Order(StringComparer.Ordinal)
                .SequenceEqual(["alpha", "beta", "gamma"])),
            "Expected one ConversionReview to v2 holding alpha, beta and gamma.\n" + widgets.Server.Describe());
    }

    [Fact]
    public async Task A_table_in_v2_shows_the_v2_printer_columns_of_the_converted_objects()
    {
        await using var widgets = await DefineAsync("table", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "alpha", "alpha.example", 1));
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "beta", "beta.example", 2));

        var table = (await Ok("get", Widgets(widgets, "v2"), "-n", widgets.Namespace)).StdoutLines;

        Assert.Equal(["NAME|ADDRESS", "alpha|alpha.example:1", "beta|beta.example:2"], table.Select(Row));
    }

    [Fact]
    public async Task A_merge_patch_in_v2_patches_the_object_converted_to_v2_and_stores_it_converted_back_to_v1()
    {
        await using var widgets = await DefineAsync("patch", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "old.example", 80));

        var patched = await Ok("patch", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace, "--type", "merge", "-p", """{"spec":{"hostPort":"new.example:81"}}""");

        Check.StdoutContains(patched, $"widget.{widgets.Group}/shop patched");
        Check.Equal("new.example 81 2", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/shop", "{.spec.host} {.spec.port} {.metadata.generation}"),
            "spec.host, spec.port and generation read as v1");
        Assert.True(ReviewsFor(widgets, "v2", "shop").Any(r => Json.Text(r, "request.objects[0].spec.host") == "old.example"),
            "Expected the current object, in v1, to be sent for conversion to v2.\n" + widgets.Server.Describe());
        Assert.True(ReviewsFor(widgets, "v1", "shop").Any(r => Json.Text(r, "request.objects[0].spec.hostPort") == "new.example:81"),
            "Expected the patched object, in v2, to be sent for conversion back to v1.\n" + widgets.Server.Describe());
    }

    [Fact]
    public async Task A_watch_in_v2_prints_the_initial_list_and_each_change_converted_to_v2()
    {
        await using var widgets = await DefineAsync("watch", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "first", "first.example", 1));
        await using var watch = Kubectl.Start(["get", Widgets(widgets, "v2"), "-n", widgets.Namespace, "-w", "--output-watch-events",
            "-o", """jsonpath={.type} {.object.apiVersion} {.object.metadata.name} {.object.spec.hostPort}{"\n"}"""]);
        var v2 = widgets.Group + "/v2";
        await watch.WaitForStdoutAsync(o => HasLine(o, $"ADDED {v2} first first.example:1"), Patience, "the initial list to show first in v2");

        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "second", "second.example", 2));
        await watch.WaitForStdoutAsync(o => HasLine(o, $"ADDED {v2} second second.example:2"), Patience, "an ADDED event of second in v2");
        await Ok("patch", Widgets(widgets, "v1"), "first", "-n", widgets.Namespace, "--type", "merge", "-p", """{"spec":{"port":9}}""");

        await watch.WaitForStdoutAsync(o => HasLine(o, $"MODIFIED {v2} first first.example:9"), Patience, "a MODIFIED event of first in v2");
        Assert.False(watch.HasExited, "kubectl get -w exited on its own; the watch stream must stay open.\n" + watch.Snapshot().Describe());
    }

    [Fact]
    public async Task A_webhook_that_answers_Failure_fails_reads_in_v2_with_its_message_while_reads_in_v1_still_work()
    {
        await using var widgets = await DefineAsync("failure", Refuse);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));

        var failed = await Fails("get", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace);

        Check.StderrContains(failed, $"Error from server: conversion webhook for {widgets.Group}/v1, Kind=Widget failed: {Refusal}");
        Check.Equal("shop.example:8080", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/shop", "{.spec.host}:{.spec.port}"), "the widget read as v1");
    }

    [Fact]
    public async Task An_unreachable_webhook_fails_reads_in_v2_with_the_post_that_failed()
    {
        var port = GantryFixture.FreeTcpPort();
        await using var widgets = await DefineAsync("unreachable", ConvertWidgets, url: $"https://127.0.0.1:{port}/{Webhook}");
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));

        var failed = await Fails("get", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace);

        Check.StderrContains(failed,
            $"Error from server: conversion webhook for {widgets.Group}/v1, Kind=Widget failed: Post \"https://127.0.0.1:{port}/{Webhook}?timeout=30s\": ");
    }

    [Fact]
    public async Task A_webhook_that_renames_the_object_fails_the_read_as_an_invalid_conversion()
    {
        await using var widgets = await DefineAsync("rename", r => ConvertWidgets(r, w => w["metadata"]!["name"] = (string?)w["metadata"]!["name"] + "-renamed"));
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));

        var failed = await Fails("get", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace);

        Check.StderrContains(failed,
            $"Error from server: conversion webhook for {widgets.Group}/v1, Kind=Widget returned invalid object: must have the same name: shop != shop-renamed");
    }

    [Fact]
    public async Task Labels_and_annotations_the_webhook_adds_reach_the_client_and_its_other_metadata_changes_do_not()
    {
        await using var widgets = await DefineAsync("metadata", r => ConvertWidgets(r, w =>
        {
            var metadata = w["metadata"]!.AsObject();
            Member(metadata, "labels")["converted"] = "yes";
            Member(metadata, "annotations")["converted-by"] = "test-webhook";
            metadata["generation"] = 42;
            metadata["finalizers"] = new JsonArray("e2e.example.com/never-removed");
        }));
        var widget = WidgetV1(widgets.Group, "shop", "shop.example", 8080);
        Member(widget["metadata"]!.AsObject(), "labels")["tier"] = "web";
        await CreateObjectAsync(widgets.Namespace, widget);

        var live = await GetJson(Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace);

        Check.Equal("web yes test-webhook",
            $"{Json.Text(live, "metadata.labels.tier")} {Json.Text(live, "metadata.labels.converted")} {Json.Text(live, "metadata.annotations.converted-by")}",
            "the labels tier and converted, and the annotation converted-by");
        Check.Equal("1", Json.Text(live, "metadata.generation"), "metadata.generation read as v2");
        Check.Equal<string?>(null, Json.Text(live, "metadata.finalizers"), "metadata.finalizers read as v2");
        // What the webhook returns is the reader's copy: the stored object is unchanged.
        Check.Equal("web|", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/shop", "{.metadata.labels.tier}|{.metadata.labels.converted}"),
            "the labels tier and converted read as v1");
    }

    [Fact]
    public async Task Conversion_review_versions_v1beta1_makes_the_server_send_v1beta1_reviews()
    {
        await using var widgets = await DefineAsync("v1beta1", ConvertWidgets, reviewVersion: "v1beta1");
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));

        var hostPort = await JsonPath(widgets.Namespace, Widgets(widgets, "v2") + "/shop", "{.spec.hostPort}");

        Check.Equal("shop.example:8080", hostPort, "spec.hostPort read as v2");
        var review = FirstReview(widgets, "v2", "shop");
        Check.Equal("apiextensions.k8s.io/v1beta1 ConversionReview", $"{Json.Text(review, "apiVersion")} {Json.Text(review, "kind")}", "the review's apiVersion and kind");
    }

    [Fact]
    public async Task A_create_in_v2_that_the_webhook_fails_to_convert_to_v1_is_refused_as_an_internal_error_and_stores_nothing()
    {
        await using var widgets = await DefineAsync("create-fail", Refuse);

        var failed = await FailsWith(Stdin(WidgetV2(widgets.Group, "db", "db.internal:5432").ToJsonString()), "create", "-f", "-", "-n", widgets.Namespace);

        Check.StderrContains(failed, "Error from server (InternalError): error when creating \"STDIN\": Internal error occurred: " +
            $"conversion webhook for {widgets.Group}/v2, Kind=Widget failed: {Refusal}");
        Check.StderrContains(await Fails("get", Widgets(widgets, "v1"), "db", "-n", widgets.Namespace),
            $"Error from server (NotFound): widgets.{widgets.Group} \"db\" not found");
    }

    [Fact]
    public async Task A_delete_in_v2_that_the_webhook_fails_to_convert_is_refused_and_the_object_stays()
    {
        await using var widgets = await DefineAsync("delete-fail", Refuse);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));

        var failed = await Fails("delete", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace);

        Check.StderrContains(failed, $"Error from server: conversion webhook for {widgets.Group}/v1, Kind=Widget failed: {Refusal}");
        Check.Equal("shop.example:8080", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/shop", "{.spec.host}:{.spec.port}"), "the widget read as v1");
    }

    [Fact]
    public async Task A_delete_of_all_in_v2_that_the_webhook_fails_to_convert_deletes_nothing()
    {
        await using var widgets = await DefineAsync("delete-all", Refuse);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "alpha", "alpha.example", 1));
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "beta", "beta.example", 2));

        var failed = await Fails("delete", Widgets(widgets, "v2"), "--all", "-n", widgets.Namespace);

        Check.StderrContains(failed, $"Error from server: conversion webhook for {widgets.Group}/v1, Kind=Widget failed: {Refusal}");
        Assert.Equal(["alpha", "beta"], await Names(widgets.Namespace, Widgets(widgets, "v1")));
    }

    [Fact]
    public async Task Scale_in_v2_sets_the_replicas_at_v2s_path_and_stores_them_at_v1s_path()
    {
        await using var widgets = await DefineAsync("scale", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080, replicas: 1));

        var scaled = await Ok("scale", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace, "--replicas=3");

        Check.StdoutContains(scaled, $"widget.{widgets.Group}/shop scaled");
        Check.Equal("3 shop.example 8080", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/shop", "{.spec.replicas} {.spec.host} {.spec.port}"),
            "spec.replicas, spec.host and spec.port read as v1");
        Assert.True(ReviewsFor(widgets, "v1", "shop").Any(r => Json.Text(r, "request.objects[0].spec.size") == "3"),
            "Expected the scaled object, in v2 with spec.size 3, to be sent for conversion back to v1.\n" + widgets.Server.Describe());
    }

    [Fact]
    public async Task The_scale_subresource_in_v2_reads_the_replicas_at_v2s_path_of_the_object_converted_to_v2()
    {
        await using var widgets = await DefineAsync("scale-read", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080, replicas: 4));

        var scale = await GetRawJson($"/apis/{widgets.Group}/v2/namespaces/{widgets.Namespace}/widgets/shop/scale");

        Check.Equal("autoscaling/v1 Scale shop 4", $"{Json.Text(scale, "apiVersion")} {Json.Text(scale, "kind")} {Json.Text(scale, "metadata.name")} {Json.Text(scale, "spec.replicas")}",
            "the scale's apiVersion, kind, name and spec.replicas");
        Check.Equal("4", Json.Text(FirstReview(widgets, "v2", "shop"), "request.objects[0].spec.replicas"), "spec.replicas of the object sent to the webhook");
    }

    [Fact]
    public async Task A_server_side_apply_in_v2_creates_the_object_converted_to_v1()
    {
        await using var widgets = await DefineAsync("apply", ConvertWidgets);

        var applied = await ApplyServerSideAsync(widgets.Namespace, WidgetV2(widgets.Group, "db", "db.internal:5432"));

        Check.StdoutContains(applied, $"widget.{widgets.Group}/db serverside-applied");
        Check.Equal("db.internal 5432 1", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/db", "{.spec.host} {.spec.port} {.metadata.generation}"),
            "spec.host, spec.port and generation read as v1");
    }

    [Fact]
    public async Task A_second_server_side_apply_in_v2_updates_the_object_stored_in_v1()
    {
        await using var widgets = await DefineAsync("reapply", ConvertWidgets);
        await ApplyServerSideAsync(widgets.Namespace, WidgetV2(widgets.Group, "db", "db.internal:5432"));

        var applied = await ApplyServerSideAsync(widgets.Namespace, WidgetV2(widgets.Group, "db", "db.replica:6432"));

        Check.StdoutContains(applied, $"widget.{widgets.Group}/db serverside-applied");
        Check.Equal("db.replica 6432 2", await JsonPath(widgets.Namespace, Widgets(widgets, "v1") + "/db", "{.spec.host} {.spec.port} {.metadata.generation}"),
            "spec.host, spec.port and generation read as v1");
    }

    [Fact]
    public async Task A_create_in_v2_whose_body_names_no_apiVersion_is_refused_as_a_bad_request_before_any_conversion()
    {
        await using var widgets = await DefineAsync("no-version", ConvertWidgets);
        var body = WidgetV2(widgets.Group, "db", "db.internal:5432");
        body.Remove("apiVersion");

        var failed = await FailsWith(Stdin(body.ToJsonString()), "create", "--raw", $"/apis/{widgets.Group}/v2/namespaces/{widgets.Namespace}/widgets", "-f", "-");

        // kube decodes a custom resource's body as unstructured, which takes its group and version from the body alone
        // (not from the URL, as a built-in kind's decoding does), so the empty version it finds is not the one expected.
        Check.StderrContains(failed,
            $"Error from server (BadRequest): the API version in the data () does not match the expected API version ({widgets.Group}/v2)");
        Assert.True(widgets.Server.Reviews(Webhook).Count == 0, "Expected no ConversionReview for a body refused as it was read.\n" + widgets.Server.Describe());
        Assert.Empty(await Names(widgets.Namespace, Widgets(widgets, "v1")));
    }

    [Fact]
    public async Task An_invalid_v2_body_is_refused_in_the_words_of_v2s_schema_before_any_conversion()
    {
        await using var widgets = await DefineAsync("invalid", ConvertWidgets);
        var widget = WidgetV2(widgets.Group, "db", "db.internal:5432");
        widget["spec"]!["hostPort"] = 5432;

        var failed = await FailsWith(Stdin(widget.ToJsonString()), "create", "-f", "-", "-n", widgets.Namespace);

        Check.StderrContains(failed, "The Widget \"db\" is invalid: spec.hostPort: Invalid value: \"integer\": spec.hostPort in body must be of type string: \"integer\"");
        Assert.True(widgets.Server.Reviews(Webhook).Count == 0, "Expected no ConversionReview for a body refused by v2's schema.\n" + widgets.Server.Describe());
    }

    [Fact]
    public async Task An_object_stored_in_v1_before_v2_became_the_storage_version_reads_in_v2_converted_from_v1()
    {
        await using var widgets = await DefineAsync("stored-v1", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));
        await StoreInV2Async(widgets);
        var seen = widgets.Server.Reviews(Webhook).Count;

        var hostPort = await JsonPath(widgets.Namespace, Widgets(widgets, "v2") + "/shop", "{.spec.hostPort}");

        Check.Equal("shop.example:8080", hostPort, "spec.hostPort read as v2");
        var reviews = ReviewsFor(widgets, "v2", "shop", since: seen);
        Assert.True(reviews.Count > 0, $"Expected the read to send a ConversionReview to {widgets.Group}/v2 holding shop.\n" + widgets.Server.Describe());
        Check.Equal($"{widgets.Group}/v1 shop.example", $"{Json.Text(reviews[0], "request.objects[0].apiVersion")} {Json.Text(reviews[0], "request.objects[0].spec.host")}",
            "the object sent to the webhook (apiVersion, spec.host)");
    }

    [Fact]
    public async Task A_label_in_v2_rewrites_an_object_stored_in_v1_in_v2_so_that_reads_in_v2_then_need_no_conversion()
    {
        await using var widgets = await DefineAsync("relabel", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));
        await StoreInV2Async(widgets);

        await Ok("label", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace, "tier=web");

        var seen = widgets.Server.Reviews(Webhook).Count;
        Check.Equal("shop.example:8080 web", await JsonPath(widgets.Namespace, Widgets(widgets, "v2") + "/shop", "{.spec.hostPort} {.metadata.labels.tier}"),
            "spec.hostPort and the label tier read as v2");
        var reviews = ReviewsFor(widgets, "v2", "shop", since: seen);
        Assert.True(reviews.Count == 0, "Expected no ConversionReview to v2 for a read of an object stored in v2.\n" + string.Join('\n', reviews.Select(r => r.GetRawText())));
    }

    [Fact]
    public async Task A_label_in_v2_of_an_object_stored_in_v1_leaves_its_generation_alone()
    {
        await using var widgets = await DefineAsync("relabel-gen", ConvertWidgets);
        await CreateObjectAsync(widgets.Namespace, WidgetV1(widgets.Group, "shop", "shop.example", 8080));
        await StoreInV2Async(widgets);

        var labelled = await Ok("label", Widgets(widgets, "v2"), "shop", "-n", widgets.Namespace, "tier=web");

        Check.StdoutContains(labelled, $"widget.{widgets.Group}/shop labeled");
        Check.Equal("1 web", await JsonPath(widgets.Namespace, Widgets(widgets, "v2") + "/shop", "{.metadata.generation} {.metadata.labels.tier}"),
            "generation and the label tier read as v2");
    }

    /// <summary>
    /// Creates the namespace <c>e2e-conv-TAG</c>, starts the test's webhook server answering with <paramref name="answer"/>,
    /// and defines Widgets in <c>conv-TAG.e2e.example.com</c> with that webhook (or one at <paramref name="url"/>) as their
    /// converter; waits until the definition is established.
    /// </summary>
    private async Task<ConversionWebhookScope> DefineAsync(string tag, Func<JsonElement, ConversionResponse> answer, string reviewVersion = "v1", string? url = null)
    {
        var group = $"conv-{tag}.e2e.example.com";
        var ns = await CreateNamespaceAsync("conv-" + tag);
        var widgets = new ConversionWebhookScope(group, "widgets." + group, ns, await TestWebhookServer.StartAsync(), Kubectl);
        try
        {
            widgets.Server.HandleConversion(Webhook, answer);
            await Ok(Stdin(WidgetDefinition(group, url ?? widgets.Server.Url(Webhook), widgets.Server.CaBundle, reviewVersion, storageVersion: "v1")), "apply", "-f", "-");
            await Ok("wait", "--for", "condition=established", "crd/" + widgets.Definition, "--timeout=20s");
            return widgets;
        }
        catch
        {
            await widgets.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes v2 the storage version of the scope's Widgets (v1 still served, the same webhook) with <c>kubectl apply</c>,
    /// and waits until the definition's <c>status.storedVersions</c> lists both versions.
    /// </summary>
    private async Task StoreInV2Async(ConversionWebhookScope widgets)
    {
        await Ok(Stdin(WidgetDefinition(widgets.Group, widgets.Server.Url(Webhook), widgets.Server.CaBundle, "v1", storageVersion: "v2")), "apply", "-f", "-");
        await Eventually.Until(() => Run("get", "crd", widgets.Definition, "-o", "jsonpath={.status.storedVersions[*]}"),
            r => r.Succeeded && r.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).SequenceEqual(["v1", "v2"]),
            Patience, "status.storedVersions to list v1 and v2", r => r.Describe());
    }

    /// <summary>
    /// Widgets in v1 (served: <c>spec.host</c>, <c>spec.port</c>, <c>spec.replicas</c>) and v2 (served:
    /// <c>spec.hostPort</c>, <c>spec.size</c>), <paramref name="storageVersion"/> the storage version, both with structural
    /// schemas, so the server prunes whatever a conversion leaves of the other layout, printer columns of their own and a
    /// scale subresource each at their own path (v1 <c>.spec.replicas</c>, v2 <c>.spec.size</c>), converted by the webhook
    /// at <paramref name="url"/>.
    /// </summary>
    private static string WidgetDefinition(string group, string url, string caBundle, string reviewVersion, string storageVersion) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{{group}}
        spec:
          group: {{group}}
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          conversion:
            strategy: Webhook
            webhook:
              clientConfig:
                url: "{{url}}"
                caBundle: {{caBundle}}
              conversionReviewVersions: [{{reviewVersion}}]
          versions:
          - name: v1
            served: true
            storage: {{(storageVersion == "v1" ? "true" : "false")}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      host: {type: string}
                      port: {type: integer}
                      replicas: {type: integer}
                  status:
                    type: object
                    properties:
                      replicas: {type: integer}
            subresources:
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
            additionalPrinterColumns:
            - {name: Host, type: string, jsonPath: .spec.host}
            - {name: Port, type: integer, jsonPath: .spec.port}
          - name: v2
            served: true
            storage: {{(storageVersion == "v2" ? "true" : "false")}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      hostPort: {type: string}
                      size: {type: integer}
                  status:
                    type: object
                    properties:
                      replicas: {type: integer}
            subresources:
              scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.replicas}
            additionalPrinterColumns:
            - {name: Address, type: string, jsonPath: .spec.hostPort}

        """;

    private static JsonObject WidgetV1(string group, string name, string host, int port, int? replicas = null)
    {
        var spec = new JsonObject { ["host"] = host, ["port"] = port };
        if (replicas is not null)
        {
            spec["replicas"] = replicas;
        }

        return new JsonObject
        {
            ["apiVersion"] = group + "/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    private static JsonObject WidgetV2(string group, string name, string hostPort) => new()
    {
        ["apiVersion"] = group + "/v2",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["hostPort"] = hostPort },
    };

    /// <summary>The webhook's answer when it fails every conversion, with <see cref="Refusal"/> as its message.</summary>
    private static ConversionResponse Refuse(JsonElement request) => ConversionResponse.Fail(Refusal);

    /// <summary>The webhook's conversion, as a real one converts: see <see cref="ConvertWidget"/>.</summary>
    private static ConversionResponse ConvertWidgets(JsonElement request) => ConvertWidgets(request, _ => { });

    /// <summary>Converts the request's objects, then lets <paramref name="change"/> misbehave on each converted one.</summary>
    private static ConversionResponse ConvertWidgets(JsonElement request, Action<JsonObject> change)
    {
        var desired = Json.Text(request, "desiredAPIVersion") ?? "";
        return ConversionResponse.Converted(Json.Items(request, "objects").Select(o =>
        {
            var converted = ConvertWidget(o, desired);
            change(converted);
            return converted;
        }));
    }

    /// <summary>
    /// A copy of <paramref name="widget"/> in <paramref name="desiredApiVersion"/>: v2 joins v1's <c>spec.host</c> and
    /// <c>spec.port</c> as <c>spec.hostPort</c>, v1 splits it at its last colon; v1's <c>spec.replicas</c> is v2's
    /// <c>spec.size</c>; the metadata is left as it came.
    /// </summary>
    private static JsonObject ConvertWidget(JsonElement widget, string desiredApiVersion)
    {
        var converted = JsonNode.Parse(widget.GetRawText())!.AsObject();
        converted["apiVersion"] = desiredApiVersion;
        if (converted["spec"] is not JsonObject spec)
        {
            return converted;
        }

        if (desiredApiVersion.EndsWith("/v2", StringComparison.Ordinal))
        {
            Rename(spec, "replicas", "size");
        }
        else if (desiredApiVersion.EndsWith("/v1", StringComparison.Ordinal))
        {
            Rename(spec, "size", "replicas");
        }

        if (desiredApiVersion.EndsWith("/v2", StringComparison.Ordinal) && spec.ContainsKey("host"))
        {
            var host = (string?)spec["host"];
            var port = spec["port"]?.ToJsonString();
            spec.Remove("host");
            spec.Remove("port");
            spec["hostPort"] = port is null ? host : $"{host}:{port}";
        }
        else if (desiredApiVersion.EndsWith("/v1", StringComparison.Ordinal) && spec.ContainsKey("hostPort"))
        {
            var hostPort = (string?)spec["hostPort"] ?? "";
            var colon = hostPort.LastIndexOf(':');
            spec.Remove("hostPort");
            spec["host"] = colon < 0 ? hostPort : hostPort[..colon];
            if (colon >= 0 && int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                spec["port"] = port;
            }
        }

        return converted;
    }

    /// <summary>Moves <paramref name="spec"/>[<paramref name="from"/>], when there is one, to <paramref name="spec"/>[<paramref name="to"/>].</summary>
    private static void Rename(JsonObject spec, string from, string to)
    {
        if (spec.Remove(from, out var value))
        {
            spec[to] = value;
        }
    }

    /// <summary>The object <paramref name="metadata"/>[<paramref name="name"/>], added empty when missing.</summary>
    private static JsonObject Member(JsonObject metadata, string name)
    {
        if (metadata[name] is not JsonObject member)
        {
            member = [];
            metadata[name] = member;
        }

        return member;
    }

    /// <summary>The resource Widgets in <paramref name="version"/> of the test's group, as kubectl names it: <c>widgets.VERSION.GROUP</c>.</summary>
    private static string Widgets(ConversionWebhookScope widgets, string version) => $"widgets.{version}.{widgets.Group}";

    /// <summary>
    /// The whole ConversionReviews that asked for <paramref name="version"/> and held the object <paramref name="name"/>, in
    /// order, of those received after the first <paramref name="since"/>.
    /// </summary>
    private static List<JsonElement> ReviewsFor(ConversionWebhookScope widgets, string version, string name, int since = 0) =>
        [.. widgets.Server.Reviews(Webhook).Skip(since).Where(r => Json.Text(r, "request.desiredAPIVersion") == $"{widgets.Group}/{version}"
            && Json.Items(r, "request.objects").Any(o => Json.Text(o, "metadata.name") == name))];

    /// <summary>The first of <see cref="ReviewsFor"/>; fails the test with every review received when there is none.</summary>
    private static JsonElement FirstReview(ConversionWebhookScope widgets, string version, string name)
    {
        var reviews = ReviewsFor(widgets, version, name);
        Assert.True(reviews.Count > 0, $"Expected a ConversionReview to {widgets.Group}/{version} holding {name}.\n" + widgets.Server.Describe());
        return reviews[0];
    }

    private static KubectlOptions Stdin(string manifest) => new() { Stdin = manifest };

    /// <summary>Runs kubectl with <paramref name="options"/> and requires a non-zero exit.</summary>
    private async Task<CommandResult> FailsWith(KubectlOptions options, params string[] args) => Check.Failed(await Kubectl.RunAsync(args, options));

    /// <summary><c>kubectl apply --server-side -f -</c> of <paramref name="manifest"/> as JSON; requires exit 0.</summary>
    private Task<CommandResult> ApplyServerSideAsync(string ns, JsonObject manifest) =>
        Ok(Stdin(manifest.ToJsonString()), "apply", "--server-side", "-f", "-", "-n", ns);

    /// <summary><c>kubectl get --raw PATH</c>, parsed.</summary>
    private async Task<JsonElement> GetRawJson(string path)
    {
        var result = await Ok("get", "--raw", path);
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    private static bool HasLine(string output, string line) => output.Split('\n').Any(l => l.TrimEnd() == line);

    /// <summary>A table line's cells joined by '|' (cells are separated by two spaces or more, as kubectl pads them).</summary>
    private static string Row(string line) => string.Join('|', TableGap().Split(line.Trim()));

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex TableGap();
}
