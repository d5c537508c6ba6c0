using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl create deployment</c>: the spec it builds, and the defaults the server fills in.</summary>
[Collection(GantryCollection.Name)]
public sealed class CreateDeploymentTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Create_deployment_stores_replicas_image_and_selector()
    {
        var ns = await CreateNamespaceAsync("create-deploy");

        var result = await Ok("create", "deployment", "made", "--image=busybox:1.36", "--replicas=2", "-n", ns);

        Check.StdoutContains(result, "deployment.apps/made created");
        var live = await GetJson("deployment", "made", "-n", ns);
        Check.Equal("2", Json.Text(live, "spec.replicas"), "spec.replicas");
        Check.Equal("made", Json.Text(live, "spec.selector.matchLabels.app"), "spec.selector.matchLabels.app");
        Check.Equal("made", Json.Text(live, "spec.template.metadata.labels.app"), "template label app");
        Check.Equal("busybox", Json.Text(live, "spec.template.spec.containers[0].name"), "container name");
        Check.Equal("busybox:1.36", Json.Text(live, "spec.template.spec.containers[0].image"), "container image");
    }

    [Fact]
    public async Task Created_deployment_gets_the_kubernetes_defaults()
    {
        var ns = await CreateNamespaceAsync("deploy-defaults");
        await Ok("create", "deployment", "made", "--image=busybox:1.36", "-n", ns);

        var live = await GetJson("deployment", "made", "-n", ns);

        Check.Equal("1", Json.Text(live, "spec.replicas"), "spec.replicas");
        Check.Equal("RollingUpdate", Json.Text(live, "spec.strategy.type"), "spec.strategy.type");
        Check.Equal("25%", Json.Text(live, "spec.strategy.rollingUpdate.maxSurge"), "maxSurge");
        Check.Equal("25%", Json.Text(live, "spec.strategy.rollingUpdate.maxUnavailable"), "maxUnavailable");
        Check.Equal("10", Json.Text(live, "spec.revisionHistoryLimit"), "spec.revisionHistoryLimit");
        Check.Equal("600", Json.Text(live, "spec.progressDeadlineSeconds"), "spec.progressDeadlineSeconds");
        Check.Equal("Always", Json.Text(live, "spec.template.spec.restartPolicy"), "template restartPolicy");
        Check.Equal("1", Json.Text(live, "metadata.generation"), "metadata.generation");
    }
}
