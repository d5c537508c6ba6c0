using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>Client-side apply (create → configured → unchanged) and server-side apply.</summary>
[Collection(GantryCollection.Name)]
public sealed class ApplyTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Apply_of_a_new_manifest_prints_created()
    {
        var ns = await CreateNamespaceAsync("apply-new");

        var result = await Ok("apply", "-f", Manifest("deploy-applied-v1.yaml"), "-n", ns);

        Check.StdoutContains(result, "deployment.apps/applied created");
        Check.Equal("busybox:1.36", await JsonPath(ns, "deployment/applied", "{.spec.template.spec.containers[0].image}"), "image");
    }

    [Fact]
    public async Task Apply_of_a_changed_manifest_prints_configured_and_changes_the_object()
    {
        var ns = await CreateNamespaceAsync("apply-changed");
        await Ok("apply", "-f", Manifest("deploy-applied-v1.yaml"), "-n", ns);

        var result = await Ok("apply", "-f", Manifest("deploy-applied-v2.yaml"), "-n", ns);

        Check.StdoutContains(result, "deployment.apps/applied configured");
        var live = await GetJson("deployment", "applied", "-n", ns);
        Check.Equal("busybox:1.37", Json.Text(live, "spec.template.spec.containers[0].image"), "image");
        Check.Equal("2", Json.Text(live, "spec.replicas"), "spec.replicas");
        Check.Equal("two", Json.Text(live, "metadata.labels.revision"), "label revision");
    }

    [Fact]
    public async Task Apply_of_the_same_manifest_again_prints_unchanged()
    {
        var ns = await CreateNamespaceAsync("apply-same");
        await Ok("apply", "-f", Manifest("deploy-applied-v1.yaml"), "-n", ns);
        await Ok("apply", "-f", Manifest("deploy-applied-v2.yaml"), "-n", ns);

        var result = await Ok("apply", "-f", Manifest("deploy-applied-v2.yaml"), "-n", ns);

        Check.StdoutContains(result, "deployment.apps/applied unchanged");
    }

    [Fact]
    public async Task Server_side_apply_creates_and_then_updates_the_object()
    {
        var ns = await CreateNamespaceAsync("ssa");

        var created = await Ok("apply", "--server-side", "-f", Manifest("configmap-ssa-v1.yaml"), "-n", ns);
        Check.StdoutContains(created, "configmap/ssa serverside-applied");
        Check.Equal("blue", await JsonPath(ns, "configmap/ssa", "{.data.color}"), "data.color after the first apply");

        var updated = await Ok("apply", "--server-side", "-f", Manifest("configmap-ssa-v2.yaml"), "-n", ns);
        Check.StdoutContains(updated, "configmap/ssa serverside-applied");
        Check.Equal("green", await JsonPath(ns, "configmap/ssa", "{.data.color}"), "data.color after the second apply");
        Check.Equal("small", await JsonPath(ns, "configmap/ssa", "{.data.size}"), "data.size after the second apply");
    }

    [Fact]
    public async Task Server_side_apply_records_kubectl_as_an_Apply_field_manager()
    {
        var ns = await CreateNamespaceAsync("ssa-managers");
        await Ok("apply", "--server-side", "-f", Manifest("configmap-ssa-v1.yaml"), "-n", ns);

        var live = await GetJson("configmap", "ssa", "-n", ns, "--show-managed-fields");

        var managers = Json.Items(live, "metadata.managedFields");
        Assert.True(
            managers.Any(m => Json.Text(m, "manager") == "kubectl" && Json.Text(m, "operation") == "Apply"),
            "Expected metadata.managedFields to hold {manager: kubectl, operation: Apply}:\n" + live);
    }

    [Fact]
    [Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)] // kubectl 1.27 has no apply --subresource
    public async Task Server_side_apply_to_the_status_subresource_sets_the_status_and_labels_and_owns_them_there()
    {
        var ns = await CreateNamespaceAsync("ssa-status");
        await Ok("create", "-f", Manifest("service-lb.yaml"), "-n", ns);

        var result = await Ok("apply", "--server-side", "--subresource=status", "-f", Manifest("service-lb-status.yaml"), "-n", ns);

        Check.StdoutContains(result, "service/lb serverside-applied");
        var live = await GetJson("service", "lb", "-n", ns, "--show-managed-fields");
        Check.Equal("192.0.2.10", Json.Text(live, "status.loadBalancer.ingress[0].ip"), "status.loadBalancer.ingress[0].ip");
        // A service's status strategy keeps only its spec, so the applied labels land too, as in kube.
        Check.Equal("yes", Json.Text(live, "metadata.labels.exposed"), "metadata.labels.exposed");
        Assert.True(
            Json.Items(live, "metadata.managedFields").Any(m =>
                Json.Text(m, "manager") == "kubectl" && Json.Text(m, "operation") == "Apply" && Json.Text(m, "subresource") == "status"),
            "Expected metadata.managedFields to hold {manager: kubectl, operation: Apply, subresource: status}:\n" + live);
    }

    [Fact]
    public async Task A_create_without_a_field_manager_is_recorded_under_its_user_agent()
    {
        // kube-apiserver's managerOrUserAgent: a write that names no fieldManager belongs to its User-Agent's product.
        var ns = await CreateNamespaceAsync("ua-manager");
        var created = await ProcessRunner.RunAsync(
            "curl",
            ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "-A", "ua-test-client/1.0 (linux)", "-H", "Authorization: Bearer " + AdminToken(),
             "-H", "Content-Type: application/json", "-d", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"by-curl"},"data":{"a":"1"}}""",
             $"{Fixture.BaseUrl}/api/v1/namespaces/{ns}/configmaps"],
            null, null, TimeSpan.FromSeconds(15));
        Output.WriteLine(created.Describe());
        Check.Equal("201", created.Stdout.Trim(), "HTTP status of the create");

        var live = await GetJson("configmap", "by-curl", "-n", ns, "--show-managed-fields");

        var managers = Json.Items(live, "metadata.managedFields");
        Assert.True(
            managers.Any(m => Json.Text(m, "manager") == "ua-test-client" && Json.Text(m, "operation") == "Update"),
            "Expected metadata.managedFields to hold {manager: ua-test-client, operation: Update}:\n" + live);
    }

    [Fact]
    public async Task Server_side_apply_over_a_client_side_applied_object_keeps_its_spec()
    {
        var ns = await CreateNamespaceAsync("ssa-over-csa");
        await Ok("apply", "-f", Manifest("deploy-applied-v1.yaml"), "-n", ns);

        var result = await Ok("apply", "--server-side", "-f", Manifest("deploy-applied-v1.yaml"), "-n", ns);

        Check.StdoutContains(result, "deployment.apps/applied serverside-applied");
        var live = await GetJson("deployment", "applied", "-n", ns);
        Check.Equal("1", Json.Text(live, "spec.replicas"), "spec.replicas");
        Check.Equal("busybox:1.36", Json.Text(live, "spec.template.spec.containers[0].image"), "image");
        Check.Equal("applied", Json.Text(live, "spec.selector.matchLabels.app"), "selector");
    }
}
