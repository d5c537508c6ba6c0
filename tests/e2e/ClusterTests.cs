using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>Discovery, version, explain, health and authentication: what every kubectl command stands on.</summary>
[Collection(GantryCollection.Name)]
public sealed partial class ClusterTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Version_prints_the_server_version()
    {
        var result = await Ok("version");

        Check.StdoutContains(result, "Client Version:");
        Assert.True(ServerVersion().IsMatch(result.Stdout), "Expected a line 'Server Version: … v1.N.M'.\n" + result.Describe());
    }

    [Fact]
    public async Task Api_resources_lists_pods_deployments_and_replicationcontrollers_with_short_names()
    {
        var result = await Ok("api-resources");

        var header = Cells(result.StdoutLines[0]);
        Assert.Equal(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], header);
        AssertRow(result, ["pods", "po", "v1", "true", "Pod"]);
        AssertRow(result, ["deployments", "deploy", "apps/v1", "true", "Deployment"]);
        AssertRow(result, ["replicationcontrollers", "rc", "v1", "true", "ReplicationController"]);
        AssertRow(result, ["namespaces", "ns", "v1", "false", "Namespace"]);
    }

    [Fact]
    public async Task Short_names_resolve_in_get()
    {
        var ns = await CreateNamespaceAsync("shortnames");

        var result = await Ok("get", "po,deploy,rc,cm", "-n", ns, "-o", "name");

        Assert.DoesNotContain("error", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Explain_pod_spec_containers_prints_field_documentation()
    {
        var result = await Ok("explain", "pod.spec.containers");

        Check.StdoutContains(result, "KIND:");
        Check.StdoutContains(result, "Pod");
        Check.StdoutContains(result, "DESCRIPTION:");
        Check.StdoutContains(result, "FIELDS:");
        Assert.True(FieldLine("image", "string").IsMatch(result.Stdout), "Expected a field line 'image <string>'.\n" + result.Describe());
        Assert.True(FieldLine("name", "string").IsMatch(result.Stdout), "Expected a field line 'name <string>'.\n" + result.Describe());
    }

    [Fact]
    public async Task Builtin_namespaces_exist()
    {
        var result = await Ok("get", "namespaces", "-o", "name");

        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Check.StdoutContains(result, $"namespace/{ns}\n");
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/livez")]
    public async Task Health_endpoint_answers_ok(string path)
    {
        var result = await Ok("get", "--raw", path);

        Check.Equal("ok", result.Stdout.Trim(), $"body of {path}");
    }

    [Fact]
    public async Task Metrics_count_requests_by_verb_resource_and_code_in_prometheus_text()
    {
        var ns = await CreateNamespaceAsync("metrics");
        await Ok("get", "configmaps", "-n", ns);

        var metrics = await Ok("get", "--raw", "/metrics");

        Check.StdoutContains(metrics, "# TYPE apiserver_request_total counter\n");
        Assert.True(
            ConfigMapLists().IsMatch(metrics.Stdout),
            "Expected a count of namespaced configmap LISTs answered 200.\n" + metrics.Describe());
        Check.StdoutContains(metrics, "apiserver_storage_objects{resource=\"namespaces\"} ");
        Check.StdoutContains(metrics, "# TYPE process_cpu_seconds_total counter\n");
    }

    [Fact]
    public async Task Request_without_credentials_gets_401()
    {
        var result = await ProcessRunner.RunAsync(
            "curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", Fixture.BaseUrl + "/api"], null, null, TimeSpan.FromSeconds(15));
        Output.WriteLine(result.Describe());

        Check.Succeeded(result);
        Check.Equal("401", result.Stdout.Trim(), "HTTP status of an unauthenticated GET /api");
    }

    [Fact]
    public async Task Request_with_a_wrong_token_is_refused()
    {
        var result = await Fails("--token=not-the-admin-token", "get", "namespaces");

        Check.StderrContains(result, "You must be logged in to the server");
    }

    private void AssertRow(CommandResult result, string[] expected)
    {
        var row = result.StdoutLines.Select(Cells).FirstOrDefault(c => c.Length > 0 && c[0] == expected[0]);
        Assert.True(row is not null, $"No row for '{expected[0]}'.\n{result.Describe()}");
        Assert.Equal(expected, row);
    }

    private static Regex FieldLine(string field, string type) =>
        new($@"^\s+{Regex.Escape(field)}\s+<{Regex.Escape(type)}>", RegexOptions.Multiline);

    [GeneratedRegex(@"Server Version:.*v1\.\d+\.\d+")]
    private static partial Regex ServerVersion();

    [GeneratedRegex("""^apiserver_request_total\{code="200",component="apiserver",dry_run="",group="",resource="configmaps",scope="namespace",subresource="",verb="LIST",version="v1"\} [1-9]""", RegexOptions.Multiline)]
    private static partial Regex ConfigMapLists();
}
