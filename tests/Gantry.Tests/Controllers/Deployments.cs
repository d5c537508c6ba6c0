using Gantry.Server.Controllers;
using k8s.Models;

namespace Gantry.Tests.Controllers;

/// <summary>Deployments and replica sets for the pure rollout tests.</summary>
internal static class Deployments
{
    public static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    public static V1Deployment Rolling(int replicas, string maxSurge, string maxUnavailable) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "d-uid", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            ProgressDeadlineSeconds = 600,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
            },
            Template = Template("nginx:1"),
        },
    };

    public static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    public static V1ReplicaSet ReplicaSet(string name, int replicas, int available = 0, int ageSeconds = 0, long revision = 0)
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = name, Uid = name + "-uid", CreationTimestamp = Now.AddSeconds(-ageSeconds), Annotations = new Dictionary<string, string>() },
            Spec = new V1ReplicaSetSpec { Replicas = replicas, Template = Template("nginx:1") },
            Status = new V1ReplicaSetStatus { Replicas = replicas, AvailableReplicas = available, ReadyReplicas = available },
        };
        if (revision > 0)
        {
            rs.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return rs;
    }
}
