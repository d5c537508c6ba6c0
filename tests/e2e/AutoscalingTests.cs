using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// HorizontalPodAutoscalers through the real kubectl: <c>kubectl autoscale</c> (which posts autoscaling/v1 up to
/// kubectl 1.32 and autoscaling/v2 from 1.33) makes an autoscaler readable in both versions, and the controller scales
/// a Deployment whose pod burns more cpu than its target, from the usage <c>kubectl top</c> shows.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class AutoscalingTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    /// <summary>Usage is sampled every few seconds and the autoscaler looks every fifteen.</summary>
    private static readonly TimeSpan ScalingPatience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Kubectl_autoscale_scales_a_busy_deployment_up_to_its_maximum()
    {
        var ns = await CreateNamespaceAsync("hpa");
        await Ok("create", "deployment", "burner", "-n", ns, "--image=busybox", "--", "sh", "-c", "while :; do :; done");
        await Ok("set", "resources", "deployment", "burner", "-n", ns, "--requests=cpu=100m");
        await Ok("autoscale", "deployment", "burner", "-n", ns, "--cpu-percent=50", "--min=1", "--max=2");

        Check.Equal("50", await JsonPath(ns, "horizontalpodautoscalers.v1.autoscaling/burner", "{.spec.targetCPUUtilizationPercentage}"), "the v1 target");
        Check.Equal(
            "Resource cpu Utilization 50",
            await JsonPath(ns, "horizontalpodautoscalers.v2.autoscaling/burner",
                "{.spec.metrics[0].type} {.spec.metrics[0].resource.name} {.spec.metrics[0].resource.target.type} {.spec.metrics[0].resource.target.averageUtilization}"),
            "the v2 metric");

        await Eventually.Until(
            () => JsonPath(ns, "deployment/burner", "{.spec.replicas}"),
            replicas => replicas == "2",
            ScalingPatience,
            "the deployment scaled to 2");
        var row = await Eventually.Until(
            async () => Regex.Split((await Ok("get", "hpa", "burner", "-n", ns)).StdoutLines[1].Trim(), @"\s{2,}"),
            cells => cells.Length == 7 && cells[5] == "2",
            Patience,
            "kubectl get hpa with 2 replicas",
            cells => string.Join('|', cells));
        Check.Equal("burner|Deployment/burner|1|2", $"{row[0]}|{row[1]}|{row[3]}|{row[4]}", "name, reference and bounds");
        Assert.Matches(@"^cpu: \d+%/50%$", row[2]);
        Check.Equal(
            "ScalingActive=True ValidMetricFound",
            await JsonPath(ns, "horizontalpodautoscalers.v2.autoscaling/burner", "{.status.conditions[?(@.type==\"ScalingActive\")].type}={.status.conditions[?(@.type==\"ScalingActive\")].status} {.status.conditions[?(@.type==\"ScalingActive\")].reason}"),
            "the ScalingActive condition");
        var events = await Ok("get", "events", "-n", ns, "--field-selector", "involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale");
        Assert.Contains("New size: 2; reason: cpu resource utilization (percentage of request) above target", events.Stdout, StringComparison.Ordinal);

        // The burners stop at once: the test is done with the cpu.
        await Ok("delete", "hpa", "burner", "-n", ns);
        await Ok("scale", "deployment", "burner", "-n", ns, "--replicas=0");
    }

    [Fact]
    public async Task An_autoscaler_without_a_target_says_it_cannot_get_the_scale()
    {
        var ns = await CreateNamespaceAsync("hpa-missing");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "autoscaling/v1",
            kind = "HorizontalPodAutoscaler",
            metadata = new { name = "orphan" },
            spec = new { scaleTargetRef = new { apiVersion = "apps/v1", kind = "Deployment", name = "absent" }, maxReplicas = 3 },
        });

        var condition = await Eventually.Until(
            () => JsonPath(ns, "horizontalpodautoscalers.v2.autoscaling/orphan", "{.status.conditions[?(@.type==\"AbleToScale\")].reason}: {.status.conditions[?(@.type==\"AbleToScale\")].message}"),
            text => text.StartsWith("FailedGetScale", StringComparison.Ordinal),
            ScalingPatience,
            "the AbleToScale condition");
        Check.Equal("FailedGetScale: the HPA controller was unable to get the target's current scale: deployments.apps \"absent\" not found", condition, "the condition");
        Check.Equal("1", await JsonPath(ns, "horizontalpodautoscalers.v1.autoscaling/orphan", "{.spec.minReplicas}"), "the defaulted minimum");
        var invalid = await Fails("patch", "hpa", "orphan", "-n", ns, "--type=merge", "-p", """{"spec":{"maxReplicas":0}}""");
        Check.StderrContains(invalid, "spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`");
    }
}
