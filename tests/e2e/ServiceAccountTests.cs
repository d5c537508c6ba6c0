using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Service accounts as Kubernetes gives them to workloads: a <c>default</c> account and the <c>kube-root-ca.crt</c>
/// ConfigMap in every namespace, <c>kubectl create token</c>, and the bound token, CA and namespace mounted into a pod's
/// containers, with which the pod's clients authenticate as its account and are authorized by its RBAC bindings.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class ServiceAccountTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private const string Mounted = "/var/run/secrets/kubernetes.io/serviceaccount";

    [Fact]
    public async Task A_new_namespace_gets_a_default_service_account_and_the_cluster_ca()
    {
        var ns = await CreateNamespaceAsync("sa-defaults");

        await Eventually.Until(() => Run("get", "serviceaccount", "default", "-n", ns), r => r.Succeeded, Patience, "the default service account");
        var ca = await Eventually.Until(
            () => Run("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}"), r => r.Succeeded, Patience, "kube-root-ca.crt");
        Check.StdoutContains(ca, "-----BEGIN CERTIFICATE-----");
    }

    [Fact]
    public async Task Kubectl_create_token_gives_a_token_that_authenticates_as_the_service_account()
    {
        var ns = await CreateNamespaceAsync("sa-token");
        await Ok("create", "serviceaccount", "builder", "-n", ns);

        var token = (await Ok("create", "token", "builder", "-n", ns)).Stdout.Trim();

        // The account may do nothing yet: the refusal names who the token is. A binding to view lets it list.
        var refused = await Fails($"--token={token}", "get", "pods", "-n", ns);
        Check.StderrContains(refused, $"User \"system:serviceaccount:{ns}:builder\" cannot list resource \"pods\"");
        await Ok("create", "rolebinding", "builder-view", "--clusterrole=view", $"--serviceaccount={ns}:builder", "-n", ns);
        await Eventually.Until(() => Run($"--token={token}", "get", "pods", "-n", ns), r => r.Succeeded, Patience, "the token's list after the binding");
    }

    [Fact]
    public async Task A_pods_containers_see_its_token_the_cluster_ca_and_its_namespace()
    {
        var ns = await CreateNamespaceAsync("sa-mount");
        await RunPodAsync(ns, "client", null, "sleep 300");

        var token = (await Ok("exec", "client", "-n", ns, "--", "cat", $"{Mounted}/token")).Stdout.Trim();

        Check.Equal(ns, (await Ok("exec", "client", "-n", ns, "--", "cat", $"{Mounted}/namespace")).Stdout, "the mounted namespace");
        Check.StdoutContains(await Ok("exec", "client", "-n", ns, "--", "cat", $"{Mounted}/ca.crt"), "-----BEGIN CERTIFICATE-----");
        var refused = await Fails($"--token={token}", "get", "pods", "-n", ns);
        Check.StderrContains(refused, $"User \"system:serviceaccount:{ns}:default\" cannot list resource \"pods\"");
    }
}
