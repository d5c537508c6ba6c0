using Gantry.Server.Controllers.Autoscaling;
using k8s.Models;

namespace Gantry.Tests.Controllers.Autoscaling;

/// <summary>Pods and samples for the replica calculator's tests, at a fixed time.</summary>
internal static class AutoscalingPods
{
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Long enough ago that the cpu initialization period (5 minutes) is over.</summary>
    public static readonly DateTimeOffset LongAgo = Now.AddMinutes(-10);

    /// <summary>A running pod, ready since it started, with one container "app" requesting <paramref name="cpu"/>.</summary>
    public static V1Pod Pod(
        string name,
        string? cpu = "1",
        string phase = "Running",
        string? ready = "True",
        DateTimeOffset? started = null,
        DateTimeOffset? readySince = null,
        bool deleting = false,
        string? memory = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", DeletionTimestamp = deleting ? Now.UtcDateTime : null },
            Spec = new V1PodSpec { Containers = [Container("app", cpu, memory)] },
            Status = new V1PodStatus
            {
                Phase = phase,
                StartTime = (started ?? LongAgo).UtcDateTime,
                Conditions = ready is null
                    ? null
                    : [new V1PodCondition { Type = "Ready", Status = ready, LastTransitionTime = (readySince ?? started ?? LongAgo).UtcDateTime }],
            },
        };

    public static V1Container Container(string name, string? cpu, string? memory = null, string? restartPolicy = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }

        return new V1Container
        {
            Name = name,
            Image = "app",
            RestartPolicy = restartPolicy,
            Resources = new V1ResourceRequirements { Requests = requests.Count > 0 ? requests : null },
        };
    }

    /// <summary>Samples taken now over a one-minute window, by pod name, as milli-values.</summary>
    public static Dictionary<string, PodMetric> Metrics(params (string Pod, long Milli)[] samples) =>
        samples.ToDictionary(s => s.Pod, s => new PodMetric(Now, TimeSpan.FromMinutes(1), s.Milli));

    /// <summary>Mebibytes as the milli-value of a memory quantity.</summary>
    public static long Mi(long mebibytes) => mebibytes * 1024 * 1024 * 1000;
}
