using Gantry.Server.Marathon;
using Gantry.Server.Marathon.Events;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>When an app's Deployment has carried out a change, as <c>deployment_success</c> reports it.</summary>
public sealed class DeploymentResultsTests
{
    private static V1Deployment App(string deploymentId, bool rolledOut) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            Generation = 2,
            Annotations = new Dictionary<string, string> { [AppDeployments.DeploymentIdAnnotation] = deploymentId },
        },
        Spec = new V1DeploymentSpec { Replicas = 2 },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = 2,
            Replicas = 2,
            UpdatedReplicas = 2,
            AvailableReplicas = rolledOut ? 2 : 1,
        },
    };

    [Fact]
    public void A_deployment_that_becomes_rolled_out_succeeded() =>
        Assert.True(DeploymentResults.Succeeded(App("d1", rolledOut: false), App("d1", rolledOut: true)));

    [Fact]
    public void A_deployment_still_rolling_out_has_not_succeeded() =>
        Assert.False(DeploymentResults.Succeeded(App("d1", rolledOut: false), App("d1", rolledOut: false)));

    [Fact]
    public void A_rolled_out_deployment_that_changes_again_in_its_status_only_is_not_reported_twice() =>
        Assert.False(DeploymentResults.Succeeded(App("d1", rolledOut: true), App("d1", rolledOut: true)));

    [Fact]
    public void A_new_change_rolled_out_at_once_succeeded() =>
        Assert.True(DeploymentResults.Succeeded(App("d1", rolledOut: true), App("d2", rolledOut: true)));

    [Fact]
    public void An_app_first_seen_is_not_reported() =>
        Assert.False(DeploymentResults.Succeeded(null, App("d1", rolledOut: true)));

    [Fact]
    public void A_deleted_app_is_not_reported() =>
        Assert.False(DeploymentResults.Succeeded(App("d1", rolledOut: false), null));

    [Fact]
    public void A_cancelled_deployment_did_not_succeed()
    {
        var cancelled = App("d1", rolledOut: false);
        cancelled.Metadata.Annotations[AppDeployments.CancelledDeploymentAnnotation] = "d1";

        Assert.False(DeploymentResults.Succeeded(App("d1", rolledOut: false), cancelled));
    }
}
