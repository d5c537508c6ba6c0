using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class PodDeletionOrderTests
{
    private static V1Pod Running(string name, string? cost = null, bool ready = true) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc),
            Annotations = cost is null ? null : new Dictionary<string, string> { [PodDeletionCost.Annotation] = cost },
        },
        Spec = new V1PodSpec { NodeName = "n-" + name },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static IEnumerable<string> Ranked(params V1Pod[] pods) => PodDeletionOrder.Rank(pods).Select(p => p.Metadata.Name);

    [Fact]
    public void A_pod_of_lower_deletion_cost_goes_first() =>
        Assert.Equal(["cheap", "plain", "dear"], Ranked(Running("dear", "100"), Running("plain"), Running("cheap", "-10")));

    [Fact]
    public void An_unready_pod_goes_before_a_cheaper_ready_one() =>
        Assert.Equal(["unready", "cheap"], Ranked(Running("cheap", "-10"), Running("unready", "5", ready: false)));
}
