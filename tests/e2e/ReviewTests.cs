using System.Text.Json;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The reviews in-cluster components send to delegate authentication and authorization (an aggregated API server, a
/// metrics proxy, Vault's Kubernetes auth): a SubjectAccessReview about another user, answered by RBAC as it stands,
/// and a TokenReview of a service account token, each created with <c>kubectl create -f -</c> and printed back.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class ReviewTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task A_subject_access_review_answers_for_the_user_it_names_before_and_after_a_binding()
    {
        var ns = await CreateNamespaceAsync("sar");
        var review = new KubectlOptions
        {
            Stdin = JsonSerializer.Serialize(new
            {
                apiVersion = "authorization.k8s.io/v1",
                kind = "SubjectAccessReview",
                spec = new { user = "jane", resourceAttributes = new { verb = "list", resource = "pods", @namespace = ns } },
            }),
        };

        Check.StdoutContains(await Ok(review, "create", "-f", "-", "-o", "yaml"), "allowed: false");
        await Ok("apply", "-f", Manifest("rbac-pod-reader.yaml"), "-n", ns);

        var allowed = await Eventually.Until(() => Kubectl.RunAsync(["create", "-f", "-", "-o", "yaml"], review),
            r => r.Succeeded && r.Stdout.Contains("allowed: true", StringComparison.Ordinal), Patience, "the review to allow jane after the binding");
        Check.StdoutContains(allowed, "reason: 'RBAC: allowed by RoleBinding");
    }

    [Fact]
    public async Task A_token_review_of_a_service_account_token_names_its_account()
    {
        var ns = await CreateNamespaceAsync("tokenreview");
        await Eventually.Until(() => Run("get", "serviceaccount", "default", "-n", ns), r => r.Succeeded, Patience, "the default service account");
        var token = (await Ok("create", "token", "default", "-n", ns)).Stdout.Trim();

        var reviewed = await Ok(new KubectlOptions
        {
            Stdin = JsonSerializer.Serialize(new { apiVersion = "authentication.k8s.io/v1", kind = "TokenReview", spec = new { token } }),
        }, "create", "-f", "-", "-o", "yaml");

        Check.StdoutContains(reviewed, "authenticated: true");
        Check.StdoutContains(reviewed, $"username: system:serviceaccount:{ns}:default");
    }

    [Fact]
    public async Task Api_resources_lists_the_reviews_with_create_only()
    {
        var result = await Ok("api-resources", "--api-group=authorization.k8s.io", "-o", "wide");

        var rows = result.StdoutLines.Skip(1).Select(Cells).ToList();
        // No short names, so the cells are NAME APIVERSION NAMESPACED KIND VERBS; kubectl brackets the verbs in some versions.
        Assert.Contains(rows, r => r is ["subjectaccessreviews", "authorization.k8s.io/v1", "false", "SubjectAccessReview", "create" or "[create]", ..]);
        Assert.Contains(rows, r => r is ["localsubjectaccessreviews", "authorization.k8s.io/v1", "true", "LocalSubjectAccessReview", "create" or "[create]", ..]);
        Check.StdoutContains(await Ok("api-resources", "--api-group=authentication.k8s.io"), "tokenreviews");
    }
}
