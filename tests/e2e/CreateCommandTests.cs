using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// kubectl's typed generator commands (<c>create configmap</c>, <c>create secret</c>, <c>run</c>). From 1.32 on, the
/// typed ones POST their body as <c>application/vnd.kubernetes.protobuf</c> (1.27–1.31 send JSON).
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class CreateCommandTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Create_configmap_from_literals_stores_the_data()
    {
        var ns = await CreateNamespaceAsync("create-cm");

        var result = await Ok("create", "configmap", "literal", "-n", ns, "--from-literal=color=blue", "--from-literal=size=small");

        Check.StdoutContains(result, "configmap/literal created");
        var live = await GetJson("configmap", "literal", "-n", ns);
        Check.Equal("blue", Json.Text(live, "data.color"), "data.color");
        Check.Equal("small", Json.Text(live, "data.size"), "data.size");
    }

    [Fact]
    public async Task Create_secret_generic_stores_base64_data()
    {
        var ns = await CreateNamespaceAsync("create-secret");

        var result = await Ok("create", "secret", "generic", "literal", "-n", ns, "--from-literal=password=s3cret");

        Check.StdoutContains(result, "secret/literal created");
        var live = await GetJson("secret", "literal", "-n", ns);
        Check.Equal("Opaque", Json.Text(live, "type"), "type");
        Check.Equal(Convert.ToBase64String("s3cret"u8.ToArray()), Json.Text(live, "data.password"), "data.password");
    }

    [Fact]
    public async Task Run_creates_a_pod_that_stays_pending()
    {
        var ns = await CreateNamespaceAsync("run");

        var result = await Ok("run", "single", "--image=busybox:1.36", "-n", ns, "--restart=Never", "--labels=app=single");

        Check.StdoutContains(result, "pod/single created");
        var live = await GetJson("pod", "single", "-n", ns);
        Check.Equal("busybox:1.36", Json.Text(live, "spec.containers[0].image"), "image");
        Check.Equal("Never", Json.Text(live, "spec.restartPolicy"), "restartPolicy");
        Check.Equal("single", Json.Text(live, "metadata.labels.app"), "label app");
        Check.Equal("Pending", Json.Text(live, "status.phase"), "status.phase");
    }
}
