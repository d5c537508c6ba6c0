using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl scale</c> through the scale subresource, with and without a replicas precondition.</summary>
[Collection(GantryCollection.Name)]
public sealed class ScaleTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Scale_deployment_sets_spec_replicas()
    {
        var ns = await CreateNamespaceAsync("scale-deploy");
        await Ok("create", "-f", Manifest("deploy-web.yaml"), "-n", ns);

        var result = await Ok("scale", "deployment", "web", "-n", ns, "--replicas=3");

        Check.StdoutContains(result, "deployment.apps/web scaled");
        Check.Equal("3", await JsonPath(ns, "deployment/web", "{.spec.replicas}"), "spec.replicas");
    }

    [Fact]
    public async Task Scale_replicationcontroller_sets_spec_replicas()
    {
        var ns = await CreateNamespaceAsync("scale-rc");
        await Ok("create", "-f", Manifest("rc-web.yaml"), "-n", ns);

        var result = await Ok("scale", "rc", "rc-web", "-n", ns, "--replicas=4");

        Check.StdoutContains(result, "replicationcontroller/rc-web scaled");
        Check.Equal("4", await JsonPath(ns, "rc/rc-web", "{.spec.replicas}"), "spec.replicas");
    }

    [Fact]
    public async Task Scale_with_a_mismatched_current_replicas_fails_and_changes_nothing()
    {
        var ns = await CreateNamespaceAsync("scale-mismatch");
        await Ok("create", "-f", Manifest("deploy-web.yaml"), "-n", ns);

        var result = await Fails("scale", "deployment", "web", "-n", ns, "--current-replicas=5", "--replicas=3");

        Check.StderrContains(result, "Expected replicas to be 5, was 2");
        Check.Equal("2", await JsonPath(ns, "deployment/web", "{.spec.replicas}"), "spec.replicas");
    }

    [Fact]
    public async Task Scale_with_a_matching_current_replicas_succeeds()
    {
        var ns = await CreateNamespaceAsync("scale-match");
        await Ok("create", "-f", Manifest("deploy-web.yaml"), "-n", ns);

        var result = await Ok("scale", "deployment", "web", "-n", ns, "--current-replicas=2", "--replicas=1");

        Check.StdoutContains(result, "deployment.apps/web scaled");
        Check.Equal("1", await JsonPath(ns, "deployment/web", "{.spec.replicas}"), "spec.replicas");
    }
}
