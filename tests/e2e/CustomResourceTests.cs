using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// CustomResourceDefinitions (apiextensions.k8s.io/v1) and their custom resources through the real kubectl, as kube's
/// "Extend the Kubernetes API with CustomResourceDefinitions" walkthrough uses them: a definition is established, its
/// kind is served and discovered like a built-in (printer columns, short names, every verb but strategic merge patch),
/// its status subresource, its versions, garbage collection, and clean-up when the definition or namespace goes.
/// Definitions are cluster-wide, so each test defines its own group (<c>TAG.e2e.example.com</c>) and short name.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed partial class CustomResourceTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task A_definition_is_established_and_listed_by_get_crd_and_api_resources()
    {
        var group = Group("establish");

        var created = await Ok(Stdin(CronTabDefinition(group, "ctestablish")), "apply", "-f", "-");
        await Ok("wait", "--for", "condition=established", "crd/crontabs." + group, "--timeout=20s");

        Check.StdoutContains(created, $"customresourcedefinition.apiextensions.k8s.io/crontabs.{group} created");
        var table = (await Ok("get", "crd", "crontabs." + group)).StdoutLines;
        Check.Equal("NAME|CREATED AT", Row(table[0]), "the header of get crd");
        Check.Equal("crontabs." + group, Row(table[1]).Split('|')[0], "the definition's row");
        var resources = await Ok("api-resources", "--api-group=" + group);
        Check.Equal($"crontabs ctestablish {group}/v1 true CronTab", string.Join(' ', Cells(resources.StdoutLines[1])), "the kind's row in api-resources");
    }

    [Fact]
    public async Task Get_shows_the_printer_columns_under_the_plural_the_short_name_and_kind_dot_group()
    {
        var (group, ns) = await CronTabsAsync("columns", "ctcolumns");

        await Ok(Stdin(CronTab(group, "nightly", replicas: 3)), "apply", "-n", ns, "-f", "-");

        foreach (var name in new[] { "crontabs", "ctcolumns", "crontab." + group, "CronTab." + group })
        {
            var table = (await Ok("get", name, "-n", ns)).StdoutLines;
            Check.Equal("NAME|SPEC|REPLICAS|AGE", Row(table[0]), $"the header of get {name}");
            Check.Equal("nightly|0 3 * * *|3", string.Join('|', Row(table[1]).Split('|')[..3]), $"the row of get {name}");
        }
    }

    [Fact]
    public async Task A_definition_without_printer_columns_lists_name_and_age()
    {
        var group = Group("nocolumns");
        await DefineAsync(WidgetDefinition(group, "Namespaced", ("v1", Storage: true)), "widgets." + group);
        var ns = await CreateNamespaceAsync("crd-nocolumns");

        await Ok(Stdin(Widget(group, "v1", "plain")), "apply", "-n", ns, "-f", "-");

        var table = (await Ok("get", "widgets." + group, "-n", ns)).StdoutLines;
        Check.Equal("NAME|AGE", Row(table[0]), "the header");
        Check.Equal("plain", Cells(table[1])[0], "the row");
    }

    [Fact]
    public async Task A_custom_resource_reads_back_as_yaml_json_and_jsonpath()
    {
        var (group, ns) = await CronTabsAsync("output", "ctoutput");
        await Ok(Stdin(CronTab(group, "nightly", replicas: 2)), "apply", "-n", ns, "-f", "-");

        var yaml = await Ok("get", "crontab." + group, "nightly", "-n", ns, "-o", "yaml");
        var json = await GetJson("crontab." + group, "nightly", "-n", ns);
        var path = await JsonPath(ns, "crontab." + group + "/nightly", "{.kind} {.spec.image} {.spec.replicas}");

        Check.StdoutContains(yaml, $"apiVersion: {group}/v1\nkind: CronTab\n");
        Check.StdoutContains(yaml, "  cronSpec: 0 3 * * *\n");
        Check.Equal(ns, Json.Text(json, "metadata.namespace"), "metadata.namespace");
        Check.Equal("1", Json.Text(json, "metadata.generation"), "metadata.generation");
        Assert.False(string.IsNullOrEmpty(Json.Text(json, "metadata.uid")), "Expected a uid:\n" + json);
        Check.Equal("CronTab my-cron-image 2", path, "the jsonpath");
    }

    [Fact]
    public async Task Label_and_annotate_change_the_metadata_and_label_and_field_selectors_find_it()
    {
        var (group, ns) = await CronTabsAsync("selectors", "ctselectors");
        await Ok(Stdin(CronTab(group, "first") + "---\n" + CronTab(group, "second")), "apply", "-n", ns, "-f", "-");

        Check.StdoutContains(await Ok("label", "ctselectors", "first", "-n", ns, "tier=batch"), $"crontab.{group}/first labeled");
        Check.StdoutContains(await Ok("annotate", "ctselectors", "first", "-n", ns, "owner=ops"), $"crontab.{group}/first annotate"); // kubectl 1.27 prints "annotate"

        Check.Equal("batch ops", await JsonPath(ns, "ctselectors/first", "{.metadata.labels.tier} {.metadata.annotations.owner}"), "label and annotation");
        Assert.Equal(["first"], await Names(ns, "ctselectors", "-l", "tier=batch"));
        Assert.Equal(["second"], await Names(ns, "ctselectors", "-l", "tier!=batch"));
        Assert.Equal(["second"], await Names(ns, "ctselectors", "--field-selector", "metadata.name=second"));
    }

    [Fact]
    public async Task Merge_and_json_patches_change_the_spec()
    {
        var (group, ns) = await CronTabsAsync("patch", "ctpatch");
        await Ok(Stdin(CronTab(group, "nightly", replicas: 1)), "apply", "-n", ns, "-f", "-");

        Check.StdoutContains(await Ok("patch", "ctpatch", "nightly", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":4}}"""), $"crontab.{group}/nightly patched");
        await Ok("patch", "ctpatch", "nightly", "-n", ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/image","value":"other-image"}]""");

        Check.Equal("4 other-image 0 3 * * *", await JsonPath(ns, "ctpatch/nightly", "{.spec.replicas} {.spec.image} {.spec.cronSpec}"), "the patched spec");
    }

    [Fact]
    public async Task A_strategic_merge_patch_is_refused_as_custom_resources_have_no_patch_strategies()
    {
        var (group, ns) = await CronTabsAsync("smp", "ctsmp");
        await Ok(Stdin(CronTab(group, "nightly", replicas: 1)), "apply", "-n", ns, "-f", "-");

        var refused = await Fails("patch", "ctsmp", "nightly", "-n", ns, "-p", """{"spec":{"replicas":4}}""");

        Check.StderrContains(refused, $"application/strategic-merge-patch+json is not supported by {group}/v1, Kind=CronTab");
        Check.Equal("1", await JsonPath(ns, "ctsmp/nightly", "{.spec.replicas}"), "spec.replicas");
    }

    [Fact]
    public async Task Server_side_apply_creates_and_then_updates_a_custom_resource()
    {
        var (group, ns) = await CronTabsAsync("ssa", "ctssa");

        var created = await Ok(Stdin(CronTab(group, "nightly", replicas: 1)), "apply", "--server-side", "-n", ns, "-f", "-");
        var updated = await Ok(Stdin(CronTab(group, "nightly", replicas: 2)), "apply", "--server-side", "-n", ns, "-f", "-");

        Check.StdoutContains(created, $"crontab.{group}/nightly serverside-applied");
        Check.StdoutContains(updated, $"crontab.{group}/nightly serverside-applied");
        var live = await GetJson("ctssa", "nightly", "-n", ns, "--show-managed-fields");
        Check.Equal("2", Json.Text(live, "spec.replicas"), "spec.replicas");
        Assert.True(
            Json.Items(live, "metadata.managedFields").Any(m => Json.Text(m, "manager") == "kubectl" && Json.Text(m, "operation") == "Apply"),
            "Expected metadata.managedFields to hold {manager: kubectl, operation: Apply}:\n" + live);
    }

    [Fact]
    public async Task Delete_removes_a_custom_resource()
    {
        var (group, ns) = await CronTabsAsync("delete", "ctdelete");
        await Ok(Stdin(CronTab(group, "nightly")), "apply", "-n", ns, "-f", "-");

        Check.StdoutContains(await Ok("delete", "ctdelete", "nightly", "-n", ns), $"crontab.{group} \"nightly\" deleted");

        Check.StderrContains(await Fails("get", "ctdelete", "nightly", "-n", ns), $"crontabs.{group} \"nightly\" not found");
    }

    [Fact]
    public async Task Get_watch_prints_a_row_for_each_custom_resource_created()
    {
        var (group, ns) = await CronTabsAsync("watch", "ctwatch");
        await Ok(Stdin(CronTab(group, "first")), "apply", "-n", ns, "-f", "-");
        await using var watch = Kubectl.Start(["get", "crontabs." + group, "-n", ns, "-w"]);
        await watch.WaitForStdoutAsync(o => o.Contains("\nfirst ", StringComparison.Ordinal), Patience, "the initial list to show first");

        await Ok(Stdin(CronTab(group, "second", replicas: 7)), "apply", "-n", ns, "-f", "-");

        await watch.WaitForStdoutAsync(o => SecondRow().IsMatch(o), Patience, "a watch row 'second  0 3 * * *  7'");
        Assert.StartsWith("NAME", watch.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patch_of_the_status_subresource_changes_the_status_and_not_the_spec()
    {
        var (group, ns) = await CronTabsAsync("status", "ctstatus");
        await Ok(Stdin(CronTab(group, "nightly", replicas: 1)), "apply", "-n", ns, "-f", "-");

        await Ok("patch", "ctstatus", "nightly", "-n", ns, "--subresource=status", "--type", "merge",
            "-p", """{"spec":{"replicas":9},"status":{"lastScheduleTime":"2025-06-01T03:00:00Z"}}""");

        Check.Equal("2025-06-01T03:00:00Z 1 1", await JsonPath(ns, "ctstatus/nightly", "{.status.lastScheduleTime} {.spec.replicas} {.metadata.generation}"),
            "status, spec.replicas and generation");
    }

    [Fact]
    public async Task Scale_sets_the_replicas_at_the_path_the_definitions_scale_subresource_names()
    {
        var (group, ns) = await CronTabsAsync("scale", "ctscale");
        await Ok(Stdin(CronTab(group, "nightly", replicas: 1)), "apply", "-n", ns, "-f", "-");

        await Ok("scale", "ctscale", "nightly", "-n", ns, "--replicas=4");

        Check.Equal("4", await JsonPath(ns, "ctscale/nightly", "{.spec.replicas}"), "spec.replicas");
        var scale = await Ok("get", "--raw", $"/apis/{group}/v1/namespaces/{ns}/crontabs/nightly/scale");
        Check.StdoutContains(scale, "\"kind\":\"Scale\"");
        Check.StdoutContains(scale, "\"replicas\":4");
    }

    [Fact]
    public async Task Explain_describes_a_custom_kind_from_its_schema()
    {
        var (group, _) = await CronTabsAsync("explain", "ctexplain");
        // explain does not refresh kubectl's discovery cache by itself, as get does on a miss.
        await Ok("api-resources", "--api-group=" + group);

        var explained = await Ok("explain", "ctexplain.spec");

        Check.StdoutContains(explained, "cronSpec");
        Check.StdoutContains(explained, "replicas");
    }

    [Fact]
    public async Task Writes_to_the_resource_ignore_the_status_when_the_status_subresource_is_on()
    {
        var (group, ns) = await CronTabsAsync("status-ignored", "ctstatusignored");
        var withStatus = CronTab(group, "nightly") + "status:\n  lastScheduleTime: \"2025-06-01T03:00:00Z\"\n";

        await Ok(Stdin(withStatus), "create", "-n", ns, "-f", "-");
        await Ok("patch", "ctstatusignored", "nightly", "-n", ns, "--type", "merge",
            "-p", """{"metadata":{"labels":{"patched":"yes"}},"status":{"lastScheduleTime":"2025-06-02T03:00:00Z"}}""");

        Check.Equal("yes||1", await JsonPath(ns, "ctstatusignored/nightly", "{.metadata.labels.patched}|{.status}|{.metadata.generation}"),
            "the label, the status and the generation");
    }

    [Fact]
    public async Task A_cluster_scoped_custom_resource_belongs_to_no_namespace()
    {
        var group = Group("cluster");
        await DefineAsync(WidgetDefinition(group, "Cluster", ("v1", Storage: true)), "widgets." + group);

        await Ok(Stdin(Widget(group, "v1", "global")), "apply", "-f", "-");

        var live = await GetJson("widgets." + group, "global");
        Check.Equal<string?>(null, Json.Text(live, "metadata.namespace"), "metadata.namespace");
        Check.Equal("global", Cells((await Ok("get", "widgets." + group, "-A", "--no-headers")).StdoutLines[0])[0], "the row of get -A, which has no NAMESPACE");
        var resources = await Ok("api-resources", "--api-group=" + group);
        Check.Equal($"widgets {group}/v1 false Widget", string.Join(' ', Cells(resources.StdoutLines[1])), "the kind's row in api-resources");
        await Ok("delete", "crd", "widgets." + group);
    }

    [Fact]
    public async Task An_object_created_in_one_version_reads_back_in_each_served_version()
    {
        var group = Group("versions");
        await DefineAsync(WidgetDefinition(group, "Namespaced", ("v1beta1", Storage: false), ("v1", Storage: true)), "widgets." + group);
        var ns = await CreateNamespaceAsync("crd-versions");

        await Ok(Stdin(Widget(group, "v1beta1", "old")), "apply", "-n", ns, "-f", "-");

        Check.Equal($"{group}/v1beta1 3", await JsonPath(ns, $"widgets.v1beta1.{group}/old", "{.apiVersion} {.spec.size}"), "read as v1beta1");
        Check.Equal($"{group}/v1 3", await JsonPath(ns, $"widgets.v1.{group}/old", "{.apiVersion} {.spec.size}"), "read as v1");
        Check.Equal($"{group}/v1", await JsonPath(ns, $"widgets.{group}/old", "{.apiVersion}"), "read in the preferred version");
        Check.Equal("""["v1"]""", (await Ok("get", "crd", "widgets." + group, "-o", "jsonpath={.status.storedVersions}")).Stdout, "status.storedVersions");
    }

    [Fact]
    public async Task An_object_stored_before_the_storage_version_changed_reads_and_updates_in_the_new_one()
    {
        var group = Group("migration");
        await DefineAsync(WidgetDefinition(group, "Namespaced", ("v1", Storage: true), ("v2", Storage: false)), "widgets." + group);
        var ns = await CreateNamespaceAsync("crd-migration");
        await Ok(Stdin(Widget(group, "v1", "old")), "apply", "-n", ns, "-f", "-");

        await DefineAsync(WidgetDefinition(group, "Namespaced", ("v1", Storage: false), ("v2", Storage: true)), "widgets." + group);
        await Ok("label", $"widgets.v2.{group}", "old", "-n", ns, "migrated=yes");

        Check.Equal($"{group}/v2 yes", await JsonPath(ns, $"widgets.v2.{group}/old", "{.apiVersion} {.metadata.labels.migrated}"), "read as v2 after the label");
        Check.Equal("""["v1","v2"]""", (await Ok("get", "crd", "widgets." + group, "-o", "jsonpath={.status.storedVersions}")).Stdout, "status.storedVersions");
    }

    [Fact]
    public async Task A_config_map_owned_by_a_custom_resource_is_collected_after_its_owner_is_deleted()
    {
        var (group, ns) = await CronTabsAsync("gc", "ctgc");
        await Ok(Stdin(CronTab(group, "owner")), "apply", "-n", ns, "-f", "-");
        var uid = await JsonPath(ns, "ctgc/owner", "{.metadata.uid}");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "ConfigMap",
            metadata = new { name = "owned", ownerReferences = new[] { new { apiVersion = group + "/v1", kind = "CronTab", name = "owner", uid } } },
            data = new { key = "value" },
        });

        await Ok("delete", "ctgc", "owner", "-n", ns);

        await Eventually.Until(() => Run("get", "configmap", "owned", "-n", ns), r => !r.Succeeded && r.Stderr.Contains("not found", StringComparison.Ordinal),
            Patience, "the garbage collector to delete configmap owned");
    }

    [Fact]
    public async Task Deleting_the_definition_deletes_its_custom_resources_and_its_type()
    {
        var (group, ns) = await CronTabsAsync("definition-delete", "ctcrddelete");
        await Ok(Stdin(CronTab(group, "nightly")), "apply", "-n", ns, "-f", "-");

        await Ok("delete", "crd", "crontabs." + group);

        // api-resources reads discovery afresh, as kubectl's cache would still name the type for a while.
        await Eventually.Until(() => Run("api-resources", "--api-group=" + group), r => r.Succeeded && !r.Stdout.Contains("crontabs", StringComparison.Ordinal),
            Patience, "discovery to drop crontabs");
        Check.StderrContains(await Fails("get", "ctcrddelete", "-n", ns), "the server doesn't have a resource type \"ctcrddelete\"");
        await DefineAsync(CronTabDefinition(group, "ctcrddelete"), "crontabs." + group);
        Assert.Empty(await Names(ns, "crontabs." + group));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_the_custom_resources_in_it()
    {
        var (group, ns) = await CronTabsAsync("ns-delete", "ctnsdelete");
        await Ok(Stdin(CronTab(group, "nightly")), "apply", "-n", ns, "-f", "-");

        await Ok("delete", "namespace", ns, "--timeout=20s");

        Check.StderrContains(await Ok("get", "ctnsdelete", "-A"), "No resources found");
    }

    [Fact]
    public async Task A_custom_resource_without_a_status_subresource_starts_at_generation_one_and_counts_spec_changes()
    {
        var group = Group("generation");
        await DefineAsync(WidgetDefinition(group, "Namespaced", ("v1", Storage: true)), "widgets." + group);
        var ns = await CreateNamespaceAsync("crd-generation");
        await Ok(Stdin(Widget(group, "v1", "counted")), "apply", "-n", ns, "-f", "-");
        var first = await JsonPath(ns, $"widgets.{group}/counted", "{.metadata.generation}");

        await Ok("patch", $"widgets.{group}", "counted", "-n", ns, "--type", "merge", "-p", """{"spec":{"size":4}}""");

        Check.Equal("1 2", first + " " + await JsonPath(ns, $"widgets.{group}/counted", "{.metadata.generation}"), "the generation before and after");
    }

    [Fact]
    public async Task Apply_refuses_a_field_the_schema_does_not_know_with_a_strict_decoding_error()
    {
        var (group, ns) = await CronTabsAsync("unknown-field", "ctunknownfield");

        var refused = await Fails(Stdin(CronTab(group, "nightly") + "  bogus: true\n"), "apply", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "strict decoding error: unknown field \"spec.bogus\"");
        Check.StderrContains(await Fails("get", "ctunknownfield", "nightly", "-n", ns), "not found");
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_refused_as_invalid()
    {
        var (group, ns) = await CronTabsAsync("wrong-type", "ctwrongtype");

        var refused = await Fails(Stdin(CronTab(group, "nightly").Replace("replicas: 1", "replicas: \"two\"", StringComparison.Ordinal)), "apply", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "The CronTab \"nightly\" is invalid");
        Check.StderrContains(refused, "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    }

    [Fact]
    public async Task A_custom_resource_without_a_required_field_is_refused()
    {
        var (group, ns) = await CronTabsAsync("required", "ctrequired");

        var refused = await Fails(Stdin(CronTab(group, "nightly").Replace("  cronSpec: \"0 3 * * *\"\n", "", StringComparison.Ordinal)), "apply", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "spec.cronSpec: Required value");
    }

    private static string Group(string tag) => tag + ".e2e.example.com";

    private static KubectlOptions Stdin(string manifest) => new() { Stdin = manifest };

    private async Task<CommandResult> Fails(KubectlOptions options, params string[] args) => Check.Failed(await Kubectl.RunAsync(args, options));

    /// <summary>Defines the CronTab kind in <c>TAG.e2e.example.com</c> and creates the namespace <c>crd-TAG</c>.</summary>
    private async Task<(string Group, string Namespace)> CronTabsAsync(string tag, string shortName)
    {
        var group = Group(tag);
        await DefineAsync(CronTabDefinition(group, shortName), "crontabs." + group);
        return (group, await CreateNamespaceAsync("crd-" + tag));
    }

    private async Task DefineAsync(string definition, string name)
    {
        await Ok(Stdin(definition), "apply", "-f", "-");
        await Ok("wait", "--for", "condition=established", "crd/" + name, "--timeout=20s");
    }

    /// <summary>The walkthrough's CronTab: a schema (cronSpec required), the status subresource and three printer columns.</summary>
    private static string CronTabDefinition(string group, string shortName) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: crontabs.{{group}}
        spec:
          group: {{group}}
          scope: Namespaced
          names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [{{shortName}}]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [cronSpec]
                    properties:
                      cronSpec: {type: string}
                      image: {type: string}
                      replicas: {type: integer}
                  status:
                    type: object
                    properties:
                      lastScheduleTime: {type: string}
                      replicas: {type: integer}
                      selector: {type: string}
            additionalPrinterColumns:
            - {name: Spec, type: string, jsonPath: .spec.cronSpec}
            - {name: Replicas, type: integer, jsonPath: .spec.replicas}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}

        """;

    private static string CronTab(string group, string name, int replicas = 1) => $$"""
        apiVersion: {{group}}/v1
        kind: CronTab
        metadata:
          name: {{name}}
        spec:
          cronSpec: "0 3 * * *"
          image: my-cron-image
          replicas: {{replicas}}

        """;

    /// <summary>A Widget kind with no printer columns and no subresources, whose versions keep whatever they are given.</summary>
    private static string WidgetDefinition(string group, string scope, params (string Name, bool Storage)[] versions) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{{group}}
        spec:
          group: {{group}}
          scope: {{scope}}
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
        {{string.Concat(versions.Select(v => VersionLine(v.Name, v.Storage)))}}
        """;

    private static string VersionLine(string name, bool storage) =>
        $"  - {{name: {name}, served: true, storage: {(storage ? "true" : "false")}, " +
        "schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}\n";

    private static string Widget(string group, string version, string name) => $$"""
        apiVersion: {{group}}/{{version}}
        kind: Widget
        metadata:
          name: {{name}}
        spec:
          size: 3

        """;

    /// <summary>A table line's cells joined by '|' (cells are separated by two spaces or more, as kubectl pads them).</summary>
    private static string Row(string line) => string.Join('|', Regex.Split(line.Trim(), @"\s{2,}"));

    [GeneratedRegex(@"\nsecond\s+0 3 \* \* \*\s+7\s")]
    private static partial Regex SecondRow();
}
