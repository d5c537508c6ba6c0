using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>Refused requests: kubectl prints its usual message, exits non-zero, and the store is unchanged.</summary>
[Collection(GantryCollection.Name)]
public sealed class ErrorTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Malformed_yaml_is_rejected_and_creates_nothing()
    {
        var ns = await CreateNamespaceAsync("err-yaml");

        var result = await Fails("create", "-f", Manifest("malformed.yaml"), "-n", ns);

        Check.StderrContains(result, "error converting YAML to JSON");
        Assert.DoesNotContain("malformed", await Names(ns, "configmaps"));
    }

    [Fact]
    public async Task Invalid_name_is_rejected_with_the_RFC_1123_message()
    {
        var ns = await CreateNamespaceAsync("err-name");

        var result = await Fails("create", "configmap", "Bad_Name", "-n", ns, "--from-literal=k=v");

        // `create configmap` wraps the server's error ("error: failed to create configmap: …"), so the message is the Status message.
        Check.StderrContains(result, "ConfigMap \"Bad_Name\" is invalid");
        Check.StderrContains(result, "metadata.name: Invalid value: \"Bad_Name\"");
        Check.StderrContains(result, "a lowercase RFC 1123 subdomain must consist of");
        Assert.DoesNotContain(await Names(ns, "configmaps"), n => n.Equals("bad_name", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Pod_without_an_image_is_rejected_as_a_required_value()
    {
        var ns = await CreateNamespaceAsync("err-required");

        var result = await Fails("create", "-f", Manifest("pod-no-image.yaml"), "-n", ns);

        Check.StderrContains(result, "The Pod \"noimage\" is invalid");
        Check.StderrContains(result, "spec.containers[0].image: Required value");
        Assert.Empty(await Names(ns, "pods"));
    }

    [Fact]
    public async Task Duplicate_create_reports_AlreadyExists_and_keeps_the_original()
    {
        var ns = await CreateNamespaceAsync("err-dup");
        await CreateConfigMapAsync(ns, "dup", ("k", "first"));

        var result = await Fails("create", "-f", Manifest("configmap-dup.yaml"), "-n", ns);

        Check.StderrContains(result, "Error from server (AlreadyExists)");
        Check.StderrContains(result, "configmaps \"dup\" already exists");
        Check.Equal("first", await JsonPath(ns, "configmap/dup", "{.data.k}"), "data.k");
    }

    [Fact]
    public async Task Replace_with_a_stale_resourceVersion_is_a_conflict()
    {
        var ns = await CreateNamespaceAsync("err-replace");
        await CreateConfigMapAsync(ns, "stale", ("k", "original"));
        var snapshot = (await Ok("get", "configmap", "stale", "-n", ns, "-o", "yaml")).Stdout;
        Assert.Contains("resourceVersion:", snapshot, StringComparison.Ordinal);
        await Ok("label", "configmap", "stale", "-n", ns, "changed=yes");
        var old = TempFile("stale.yaml");
        await File.WriteAllTextAsync(old, snapshot.Replace("k: original", "k: replaced", StringComparison.Ordinal));

        var result = await Fails("replace", "-f", old, "-n", ns);

        Check.StderrContains(result, "Error from server (Conflict)");
        Check.StderrContains(result, "the object has been modified; please apply your changes to the latest version and try again");
        var live = await GetJson("configmap", "stale", "-n", ns);
        Check.Equal("original", Json.Text(live, "data.k"), "data.k");
        Check.Equal("yes", Json.Text(live, "metadata.labels.changed"), "label from the newer write");
    }

    [Fact]
    public async Task Label_with_a_stale_resource_version_is_a_conflict()
    {
        var ns = await CreateNamespaceAsync("err-label-rv");
        await CreateConfigMapAsync(ns, "stale", ("k", "v"));
        var oldVersion = await JsonPath(ns, "configmap/stale", "{.metadata.resourceVersion}");
        await Ok("annotate", "configmap", "stale", "-n", ns, "bump=1");

        var result = await Fails("label", "configmap", "stale", "-n", ns, "late=yes", "--resource-version=" + oldVersion);

        Check.StderrContains(result, "Error from server (Conflict)");
        Check.StderrContains(result, "the object has been modified");
        Check.Equal("", await JsonPath(ns, "configmap/stale", "{.metadata.labels.late}"), "label late");
    }

    [Fact]
    public async Task Unknown_field_is_rejected_under_strict_validation()
    {
        var ns = await CreateNamespaceAsync("err-unknown");

        var result = await Fails("create", "-f", Manifest("configmap-unknown-field.yaml"), "-n", ns, "--validate=strict");

        Check.StderrContains(result, "unknown field \"bogusTopLevel\"");
        Assert.DoesNotContain("unknownfield", await Names(ns, "configmaps"));
    }

    [Fact]
    public async Task Get_of_a_missing_object_reports_NotFound()
    {
        var ns = await CreateNamespaceAsync("err-notfound");

        var result = await Fails("get", "configmap", "nope", "-n", ns);

        Check.StderrContains(result, "Error from server (NotFound): configmaps \"nope\" not found");
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_reports_NotFound()
    {
        var result = await Fails("create", "-f", Manifest("configmap-dup.yaml"), "-n", "e2e-no-such-namespace");

        Check.StderrContains(result, "namespaces \"e2e-no-such-namespace\" not found");
    }
}
