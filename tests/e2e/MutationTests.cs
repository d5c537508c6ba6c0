using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>label, annotate, patch (merge, JSON, strategic) and edit.</summary>
[Collection(GantryCollection.Name)]
public sealed class MutationTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Label_adds_a_label()
    {
        var ns = await ConfigMap("label-add");

        var result = await Ok("label", "configmap", "subject", "-n", ns, "tier=db");

        Check.StdoutContains(result, "configmap/subject labeled");
        Check.Equal("db", await JsonPath(ns, "configmap/subject", "{.metadata.labels.tier}"), "label tier");
    }

    [Fact]
    public async Task Label_refuses_to_change_a_value_without_overwrite()
    {
        var ns = await ConfigMap("label-nooverwrite");
        await Ok("label", "configmap", "subject", "-n", ns, "tier=db");

        var result = await Fails("label", "configmap", "subject", "-n", ns, "tier=cache");

        Check.StderrContains(result, "'tier' already has a value (db), and --overwrite is false");
        Check.Equal("db", await JsonPath(ns, "configmap/subject", "{.metadata.labels.tier}"), "label tier");
    }

    [Fact]
    public async Task Label_overwrite_replaces_the_value()
    {
        var ns = await ConfigMap("label-overwrite");
        await Ok("label", "configmap", "subject", "-n", ns, "tier=db");

        var result = await Ok("label", "configmap", "subject", "-n", ns, "tier=cache", "--overwrite");

        Check.StdoutContains(result, "configmap/subject labeled");
        Check.Equal("cache", await JsonPath(ns, "configmap/subject", "{.metadata.labels.tier}"), "label tier");
    }

    [Fact]
    public async Task Label_with_a_trailing_dash_removes_the_label()
    {
        var ns = await ConfigMap("label-remove");
        await Ok("label", "configmap", "subject", "-n", ns, "tier=db", "keep=yes");

        var result = await Ok("label", "configmap", "subject", "-n", ns, "tier-");

        Check.StdoutContains(result, "configmap/subject unlabeled");
        var live = await GetJson("configmap", "subject", "-n", ns);
        Assert.Null(Json.Find(live, "metadata.labels.tier"));
        Check.Equal("yes", Json.Text(live, "metadata.labels.keep"), "the other label");
    }

    [Fact]
    public async Task Annotate_adds_an_annotation()
    {
        var ns = await ConfigMap("annotate");

        var result = await Ok("annotate", "configmap", "subject", "-n", ns, "note=hello world");

        // kubectl 1.27 prints "annotate", later versions "annotated".
        Check.StdoutContains(result, "configmap/subject annotate");
        Check.Equal("hello world", await JsonPath(ns, "configmap/subject", "{.metadata.annotations.note}"), "annotation note");
    }

    [Fact]
    public async Task Patch_merge_changes_only_the_given_fields()
    {
        var ns = await ConfigMap("patch-merge");

        var result = await Ok("patch", "configmap", "subject", "-n", ns, "--type", "merge", "-p", """{"data":{"k":"merged"}}""");

        Check.StdoutContains(result, "configmap/subject patched");
        var live = await GetJson("configmap", "subject", "-n", ns);
        Check.Equal("merged", Json.Text(live, "data.k"), "data.k");
        Check.Equal("untouched", Json.Text(live, "data.other"), "data.other");
    }

    [Fact]
    public async Task Patch_json_applies_each_operation()
    {
        var ns = await ConfigMap("patch-json");

        var result = await Ok("patch", "configmap", "subject", "-n", ns, "--type", "json", "-p",
            """[{"op":"replace","path":"/data/k","value":"replaced"},{"op":"add","path":"/data/added","value":"yes"},{"op":"remove","path":"/data/other"}]""");

        Check.StdoutContains(result, "configmap/subject patched");
        var live = await GetJson("configmap", "subject", "-n", ns);
        Check.Equal("replaced", Json.Text(live, "data.k"), "data.k");
        Check.Equal("yes", Json.Text(live, "data.added"), "data.added");
        Assert.Null(Json.Find(live, "data.other"));
    }

    [Fact]
    public async Task Patch_strategic_merges_containers_by_name_and_keeps_the_others()
    {
        var ns = await CreateNamespaceAsync("patch-strategic");
        await Ok("create", "-f", Manifest("deploy-two-containers.yaml"), "-n", ns);

        var result = await Ok("patch", "deployment", "pair", "-n", ns, "--type", "strategic", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""");

        Check.StdoutContains(result, "deployment.apps/pair patched");
        var live = await GetJson("deployment", "pair", "-n", ns);
        var containers = Json.Items(live, "spec.template.spec.containers");
        Assert.Equal(["web", "sidecar"], containers.Select(c => Json.Text(c, "name")));
        Check.Equal("nginx:1.27", Json.Text(containers[0], "image"), "web image");
        Check.Equal("80", Json.Text(containers[0], "ports[0].containerPort"), "web port (kept)");
        Check.Equal("busybox:1.36", Json.Text(containers[1], "image"), "sidecar image (kept)");
    }

    [Fact]
    public async Task Edit_with_KUBE_EDITOR_changes_a_value()
    {
        var ns = await CreateNamespaceAsync("edit");
        await CreateConfigMapAsync(ns, "edited", ("greeting", "foo"));

        var result = await Ok(
            new KubectlOptions { Environment = new Dictionary<string, string?> { ["KUBE_EDITOR"] = "sed -i s/foo/bar/", ["EDITOR"] = null } },
            "edit", "configmap", "edited", "-n", ns);

        Check.StdoutContains(result, "configmap/edited edited");
        Check.Equal("bar", await JsonPath(ns, "configmap/edited", "{.data.greeting}"), "data.greeting");
    }

    private async Task<string> ConfigMap(string shortName)
    {
        var ns = await CreateNamespaceAsync(shortName);
        await CreateConfigMapAsync(ns, "subject", ("k", "v"), ("other", "untouched"));
        return ns;
    }
}
