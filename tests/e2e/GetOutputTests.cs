using System.Globalization;
using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl get</c> in each output format kubectl users rely on. Pods stay Pending (no node agent).</summary>
[Collection(GantryCollection.Name)]
public sealed partial class GetOutputTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Get_pods_prints_NAME_READY_STATUS_RESTARTS_AGE()
    {
        var ns = await CreateNamespaceAsync("get-pods");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("get", "pods", "-n", ns);

        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], Cells(result.StdoutLines[0]));
        var row = Row(result, "web");
        Assert.Equal(["web", "0/1", "Pending", "0"], row[..4]);
        Assert.True(Age().IsMatch(row[4]), $"AGE cell «{row[4]}» is not an age.\n{result.Describe()}");
    }

    [Fact]
    public async Task Get_pods_wide_adds_IP_NODE_NOMINATED_NODE_and_READINESS_GATES()
    {
        var ns = await CreateNamespaceAsync("get-wide");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("get", "pods", "-n", ns, "-o", "wide");

        Assert.True(
            WideHeader().IsMatch(result.StdoutLines[0]),
            "Expected the header NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES.\n" + result.Describe());
        var row = Row(result, "web");
        Assert.Equal(["web", "0/1", "Pending", "0"], row[..4]);
        Check.Equal("<none>", row[5], "IP of a pod that has not started");
    }

    [Fact]
    public async Task Get_deployments_prints_NAME_READY_UP_TO_DATE_AVAILABLE_AGE()
    {
        var ns = await CreateNamespaceAsync("get-deploy");
        await Ok("create", "-f", Manifest("deploy-web.yaml"), "-n", ns);

        var result = await Ok("get", "deploy", "-n", ns);

        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], Cells(result.StdoutLines[0]));
        var row = Row(result, "web");
        Check.Equal("0/2", row[1], "READY (no pod can run without a node agent)");
        Check.Equal("0", row[3], "AVAILABLE");
    }

    [Fact]
    public async Task Get_o_yaml_prints_a_List_of_complete_objects()
    {
        var ns = await CreateNamespaceAsync("get-yaml");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("get", "pods", "-n", ns, "-o", "yaml");

        foreach (var expected in new[]
        {
            "apiVersion: v1\n", "items:\n", "kind: List\n", "- apiVersion: v1\n", "  kind: Pod\n",
            "    name: web\n", $"    namespace: {ns}\n", "    uid: ", "    resourceVersion: ", "    creationTimestamp: ",
            "image: busybox:1.36\n", "    phase: Pending\n",
        })
        {
            Check.StdoutContains(result, expected);
        }
    }

    [Fact]
    public async Task Get_o_json_prints_a_List_of_complete_objects()
    {
        var ns = await CreateNamespaceAsync("get-json");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var list = await GetJson("pods", "-n", ns);

        Check.Equal("List", Json.Text(list, "kind"), "kind");
        var items = Json.Items(list, "items");
        Assert.Single(items);
        var pod = items[0];
        Check.Equal("Pod", Json.Text(pod, "kind"), "items[0].kind");
        Check.Equal("v1", Json.Text(pod, "apiVersion"), "items[0].apiVersion");
        Check.Equal("web", Json.Text(pod, "metadata.name"), "metadata.name");
        Check.Equal(ns, Json.Text(pod, "metadata.namespace"), "metadata.namespace");
        Check.Equal("web", Json.Text(pod, "metadata.labels.app"), "metadata.labels.app");
        Assert.False(string.IsNullOrEmpty(Json.Text(pod, "metadata.uid")), "metadata.uid is empty");
        Assert.False(string.IsNullOrEmpty(Json.Text(pod, "metadata.resourceVersion")), "metadata.resourceVersion is empty");
        Assert.True(
            DateTimeOffset.TryParse(Json.Text(pod, "metadata.creationTimestamp"), CultureInfo.InvariantCulture, out _),
            $"metadata.creationTimestamp «{Json.Text(pod, "metadata.creationTimestamp")}» is not a timestamp");
        Check.Equal("busybox:1.36", Json.Text(pod, "spec.containers[0].image"), "spec.containers[0].image");
        Check.Equal("Pending", Json.Text(pod, "status.phase"), "status.phase");
    }

    [Fact]
    public async Task Get_o_jsonpath_prints_the_selected_fields_of_every_item()
    {
        var ns = await CreateNamespaceAsync("get-jsonpath");
        await Ok("create", "-f", Manifest("pods-labelled.yaml"), "-n", ns);

        var result = await Ok("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}");

        Assert.Equal(["dev", "plain", "prod", "qa"], result.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_o_custom_columns_prints_the_named_columns()
    {
        var ns = await CreateNamespaceAsync("get-custom");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("get", "pods", "-n", ns, "-o", "custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image");

        Assert.Equal(["NAME", "IMAGE"], Cells(result.StdoutLines[0]));
        Assert.Equal(["web", "busybox:1.36"], Row(result, "web"));
    }

    [Fact]
    public async Task Get_o_name_prints_type_slash_name()
    {
        var ns = await CreateNamespaceAsync("get-name");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("get", "pods", "-n", ns, "-o", "name");

        Check.Equal("pod/web", result.Stdout.Trim(), "-o name");
    }

    [Fact]
    public async Task List_returns_objects_in_name_order()
    {
        var ns = await CreateNamespaceAsync("get-order");
        await Ok("create", "-f", Manifest("pods-labelled.yaml"), "-n", ns);

        var names = await Names(ns, "pods");

        Assert.Equal(["dev", "plain", "prod", "qa"], names);
    }

    [Fact]
    public async Task Get_sort_by_metadata_name_orders_the_table_rows()
    {
        var ns = await CreateNamespaceAsync("get-sort");
        await Ok("create", "-f", Manifest("configmaps-ranked.yaml"), "-n", ns);

        var result = await Ok("get", "configmaps", "-n", ns, "-l", "set=ranked", "--sort-by=.metadata.name");

        Assert.Equal(["NAME", "DATA", "AGE"], Cells(result.StdoutLines[0]));
        Assert.Equal(["alpha", "mid", "zeta"], result.StdoutLines.Skip(1).Select(l => Cells(l)[0]));
    }

    [Fact]
    public async Task Get_sort_by_a_data_field_orders_by_that_field()
    {
        var ns = await CreateNamespaceAsync("get-sort-data");
        await Ok("create", "-f", Manifest("configmaps-ranked.yaml"), "-n", ns);

        var result = await Ok("get", "configmaps", "-n", ns, "-l", "set=ranked", "--sort-by=.data.rank");

        Assert.Equal(["zeta", "mid", "alpha"], result.StdoutLines.Skip(1).Select(l => Cells(l)[0]));
    }

    [Fact]
    public async Task Get_all_lists_deployments_replicationcontrollers_and_pods()
    {
        var ns = await CreateNamespaceAsync("get-all");
        await Ok("create", "-f", Manifest("deploy-web.yaml"), "-n", ns);
        await Ok("create", "-f", Manifest("rc-web.yaml"), "-n", ns);
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("get", "all", "-n", ns);

        Check.StdoutContains(result, "deployment.apps/web");
        Check.StdoutContains(result, "replicationcontroller/rc-web");
        Check.StdoutContains(result, "pod/web");
    }

    private static string[] Row(CommandResult result, string name)
    {
        var row = result.StdoutLines.Skip(1).Select(Cells).FirstOrDefault(c => c.Length > 0 && c[0] == name);
        return row ?? throw new Xunit.Sdk.XunitException($"No row for '{name}'.\n{result.Describe()}");
    }

    [GeneratedRegex(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$")]
    private static partial Regex WideHeader();

    [GeneratedRegex(@"^(\d+[smhdy])+$")]
    private static partial Regex Age();
}
