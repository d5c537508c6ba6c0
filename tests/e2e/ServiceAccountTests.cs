using System.Text;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Service accounts as Kubernetes gives them to workloads: a <c>default</c> account and the <c>kube-root-ca.crt</c>
/// ConfigMap in every namespace, <c>kubectl create token</c>, the long-lived token of a service account token Secret,
/// and the bound token, CA and namespace mounted into a pod's containers, with which the pod's clients authenticate as
/// its account and are authorized by its RBAC bindings.
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
    public async Task A_token_bound_to_a_secret_authenticates_until_the_secret_is_deleted()
    {
        var ns = await CreateNamespaceAsync("sa-bound-secret");
        await Ok("create", "serviceaccount", "builder", "-n", ns);
        await Ok("create", "secret", "generic", "anchor", "--from-literal=k=v", "-n", ns);

        var token = (await Ok("create", "token", "builder", "--bound-object-kind", "Secret", "--bound-object-name", "anchor", "-n", ns)).Stdout.Trim();

        Check.StderrContains(await Fails($"--token={token}", "get", "pods", "-n", ns), $"User \"system:serviceaccount:{ns}:builder\" cannot list resource \"pods\"");
        await Ok("delete", "secret", "anchor", "-n", ns);
        await Eventually.Until(
            () => Run($"--token={token}", "get", "pods", "-n", ns), r => !r.Succeeded && r.Stderr.Contains("Unauthorized"), Patience,
            "the token refused once its secret is gone");
        var missing = await Fails("create", "token", "builder", "--bound-object-kind", "Secret", "--bound-object-name", "anchor", "-n", ns);
        Check.StderrContains(missing, "secrets \"anchor\" not found");
    }

    [Fact]
    public async Task A_service_account_token_secret_gets_a_long_lived_token_that_authenticates_and_is_marked_used_until_the_secret_is_deleted()
    {
        var ns = await CreateNamespaceAsync("sa-secret");
        await Ok("create", "serviceaccount", "builder", "-n", ns);
        await Ok(new KubectlOptions
        {
            Stdin = $$"""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: builder-token
                  namespace: {{ns}}
                  annotations:
                    kubernetes.io/service-account.name: builder
                type: kubernetes.io/service-account-token
                """,
        }, "apply", "-f", "-");

        var filled = await Eventually.Until(
            () => Run("get", "secret", "builder-token", "-n", ns, "-o", "jsonpath={.data.token}"),
            r => r.Succeeded && r.Stdout.Trim().Length > 0, Patience, "the token in the secret");
        var token = Decoded(filled.Stdout);
        var secretNamespace = await Ok("get", "secret", "builder-token", "-n", ns, "-o", "jsonpath={.data.namespace}");
        Check.Equal(ns, Decoded(secretNamespace.Stdout), "the secret's namespace");

        var refused = await Fails($"--token={token}", "get", "pods", "-n", ns);
        Check.StderrContains(refused, $"User \"system:serviceaccount:{ns}:builder\" cannot list resource \"pods\"");
        await Eventually.Until(
            () => Run("get", "secret", "builder-token", "-n", ns, "-o", "jsonpath={.metadata.labels.kubernetes\\.io/legacy-token-last-used}"),
            r => r.Succeeded && DateTime.TryParse(r.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var day) &&
                (DateTime.UtcNow.Date - day.Date).TotalDays is >= 0 and <= 1,
            Patience, "the day of the token's last use on its secret");

        await Ok("delete", "secret", "builder-token", "-n", ns);
        var unauthenticated = await Eventually.Until(
            () => Run($"--token={token}", "get", "pods", "-n", ns), r => !r.Succeeded && r.Stderr.Contains("Unauthorized"), Patience,
            "the token refused once its secret is gone");
        Check.StderrContains(unauthenticated, "Unauthorized");
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

    private static string Decoded(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
}
